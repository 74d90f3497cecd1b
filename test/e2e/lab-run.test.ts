import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabSummary } from '../../local/run/run-folder.js';
import { processesMatching } from '../helpers/proc-scan.js';
import { CLI, stopChild } from '../helpers/processes.js';

let workDir: string | undefined;

afterEach(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
});

function instanceIdsIn(folder: string): string[] {
  const events = JSON.parse(readFileSync(join(folder, 'events.json'), 'utf8')) as {
    source: string;
    detail: Record<string, string>;
  }[];
  return [...new Set(events.filter((e) => e.source === 'aws.ec2').map((e) => e.detail['instance-id'] ?? ''))];
}

describe('scalelab run (the real lab, end to end)', () => {
  it('runs the whole lab at a high time scale, passes, writes the run folder and leaves nothing running', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'scalelab-e2e-'));
    const args = [
      'run',
      '--json',
      '--time-scale',
      '40',
      '--name',
      'e2e',
      '--state-dir',
      join(workDir, 'state'),
      '--runs-dir',
      join(workDir, 'runs'),
    ];
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() =>
      stopChild(child, 'SIGKILL'),
    );

    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LabSummary;
    expect(summary.verdict, `stderr: ${stderr}\nstdout: ${stdout}`).toMatchObject({ verdict: 'PASS' });
    expect(code).toBe(0);
    expect(summary.execution).toMatchObject({ name: 'e2e', status: 'SUCCEEDED' });
    expect(summary.verdict.expectations.map(({ held }) => held)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      summary.scalingActivities.some(({ cause }) =>
        /AlarmHigh.*changing the desired capacity from 1 to 2/.test(cause ?? ''),
      ),
    ).toBe(true);
    expect(
      summary.scalingActivities.some(({ cause }) =>
        /AlarmLow.*changing the desired capacity from 2 to 1/.test(cause ?? ''),
      ),
    ).toBe(true);
    expect(Object.values(summary.requestsPerInstance.web).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      20,
    );

    const folder = join(workDir, 'runs', 'e2e');
    for (const file of [
      'execution.json',
      'history.json',
      'metrics.json',
      'events.json',
      'summary.json',
      'handler-log.jsonl',
    ]) {
      expect(existsSync(join(folder, file)), file).toBe(true);
    }
    const instanceIds = instanceIdsIn(folder);
    expect(instanceIds.length).toBeGreaterThanOrEqual(4); // 2 seed instances, 2 or more serve instances
    for (const id of instanceIds) expect(processesMatching(id)).toEqual([]);
  }, 180_000);
});
