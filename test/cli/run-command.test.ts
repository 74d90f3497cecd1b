import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli, stopChild } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

let workDir: string | undefined;
afterEach(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
});

describe('scalelab run and an earlier run folder', () => {
  it('refuses a name whose run folder exists, and leaves that evidence as it was', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'scalelab-run-'));
    const earlier = join(workDir, 'runs', 'lab-1');
    mkdirSync(earlier, { recursive: true });
    writeFileSync(join(earlier, 'summary.json'), '{"verdict":"PASS"}\n');
    writeFileSync(join(earlier, 'handler-log.jsonl'), 'earlier log\n');

    const { code, stderr } = await runCli([
      'run',
      '--name',
      'lab-1',
      '--runs-dir',
      join(workDir, 'runs'),
      '--state-dir',
      join(workDir, 'state'),
    ]);

    expect(code).toBe(2);
    expect(stderr).toBe(
      `scalelab run: run folder ${earlier} already exists (an earlier run's evidence); choose another --name\n`,
    );
    expect(readdirSync(earlier).sort()).toEqual(['handler-log.jsonl', 'summary.json']);
    expect(readFileSync(join(earlier, 'handler-log.jsonl'), 'utf8')).toBe('earlier log\n');
  });
});

describe('a state folder another scalelab holds', () => {
  it('is refused by run and by a second serve with one line each, and neither hangs nor crashes', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'scalelab-run-'));
    const stateDir = join(workDir, 'state');
    const holder = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--state-dir', stateDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      holder.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      await waitFor(() => out.includes('AWS endpoint'), {
        timeoutMs: 20_000,
        what: () => `serve ready: ${out}`,
      });
      const inUse = `state directory ${stateDir} is in use by process ${holder.pid} (a scalelab run or serve); stop it, or use another --state-dir`;

      const run = await runCli(['run', '--state-dir', stateDir, '--runs-dir', join(workDir, 'runs')]);
      const serve = await runCli(['serve', '--port', '0', '--state-dir', stateDir]);

      expect(run).toEqual({ code: 1, stderr: `scalelab run: ${inUse}\n` });
      expect(serve).toEqual({ code: 1, stderr: `scalelab serve: ${inUse}\n` });
      expect(readdirSync(join(workDir, 'runs'))).toEqual([]);
    } finally {
      await stopChild(holder, 'SIGINT');
    }
  }, 60_000);
});
