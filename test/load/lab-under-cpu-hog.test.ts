/**
 * The lab on a machine whose every core another process keeps busy: its verdict must be a PASS, or
 * INCONCLUSIVE naming what the machine did (lag, a starved stress) — never a FAIL the machine
 * caused, nor a PASS it cannot back. The hogs are bounded in time and stop by themselves.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabSummary } from '../../local-lab/run/run-folder.js';
import { CLI, stopChild } from '../helpers/processes.js';

/** Real seconds a hog burns before it stops by itself: longer than the lab at the default scale. */
const HOG_SECONDS = 200;

let workDir: string | undefined;
/** The CPU hogs and the lab run: all ended after the test, whatever happened. */
const hogs: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(hogs.splice(0).map((hog) => stopChild(hog, 'SIGKILL')));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
});

/** One busy loop per core, each ending itself after HOG_SECONDS. */
function startHogs(): void {
  const code = `const end = Date.now() + ${HOG_SECONDS * 1000}; while (Date.now() < end) {}`;
  for (let i = 0; i < availableParallelism(); i++) {
    hogs.push(spawn(process.execPath, ['-e', code], { stdio: 'ignore' }));
  }
}

async function runLab(): Promise<{ code: number | null; summary: LabSummary; stderr: string }> {
  workDir = mkdtempSync(join(tmpdir(), 'scalelab-hog-'));
  const args = [
    'run',
    '--json',
    '--name',
    'hog',
    '--state-dir',
    join(workDir, 's'),
    '--runs-dir',
    join(workDir, 'r'),
  ];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  hogs.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr, summary: JSON.parse(stdout) as LabSummary };
}

describe('the lab with a CPU hog on every core (default time scale)', () => {
  it('PASSes, or says INCONCLUSIVE with what the machine did: never a FAIL the machine caused', async () => {
    startHogs();
    const { code, summary, stderr } = await runLab();
    const { verdict, lag, stress } = summary;
    const evidence = `stderr: ${stderr}\nverdict: ${JSON.stringify(verdict)}\nlag: ${JSON.stringify(lag)}\nstress: ${JSON.stringify(stress)}`;

    expect(['PASS', 'INCONCLUSIVE'], evidence).toContain(verdict.verdict);
    if (verdict.verdict === 'PASS') {
      expect(code).toBe(0);
      expect(lag.trustworthy, evidence).toBe(true);
      expect(stress?.starved, evidence).toBe(false);
    } else {
      expect(code).toBe(3);
      expect(!lag.trustworthy || stress?.starved === true, evidence).toBe(true);
      expect(verdict.reason).toMatch(/this machine (fell behind the simulated schedule|starved the stress)/);
    }
  });
});
