import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { humanDuration } from '../../lab/durations.js';
import type { LabSummary } from '../../local-lab/run/run-folder.js';
import { projectRoot } from '../../node-app/project-root.js';
import { CLI, stopChild } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

let workDir: string | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child) await stopChild(child, 'SIGKILL');
  child = undefined;
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
});

interface StartedRun {
  child: ChildProcess;
  stateDir: string;
  folder: string;
  output(): { stdout: string; stderr: string };
}

/** `scalelab run --name lab-1` in a fresh work dir, running until the test signals it. */
function startRun(): StartedRun {
  workDir = mkdtempSync(join(tmpdir(), 'scalelab-interrupt-'));
  const stateDir = join(workDir, 'state');
  const runsDir = join(workDir, 'runs');
  const args = ['run', '--name', 'lab-1', '--state-dir', stateDir, '--runs-dir', runsDir];
  const started = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let stdout = '';
  let stderr = '';
  started.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  started.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child: started, stateDir, folder: join(runsDir, 'lab-1'), output: () => ({ stdout, stderr }) };
}

/** Waits until the run has been in its warm-up Wait (a long one) for a second of real time. */
async function untilInWarmUp(run: StartedRun): Promise<void> {
  const history = join(
    run.stateDir,
    'executions',
    encodeURIComponent('lab-lifecycle:lab-1'),
    'history.jsonl',
  );
  await waitFor(
    () => {
      if (!existsSync(history)) return false;
      const last = JSON.parse(readFileSync(history, 'utf8').trim().split('\n').at(-1) ?? '{}') as {
        type?: string;
        stateEnteredEventDetails?: { name?: string };
        realTimestamp?: string;
      };
      return (
        last.stateEnteredEventDetails?.name === 'WaitForWarmUp' &&
        Date.now() - Date.parse(last.realTimestamp ?? '') >= 1000
      );
    },
    { timeoutMs: 30_000, what: () => `a second into the warm-up (stderr: ${run.output().stderr})` },
  );
}

describe('scalelab run interrupted by Ctrl-C', () => {
  it('prints how long the current phase ran and that there is no verdict, not an empty table', async () => {
    // Prepare
    const run = startRun();
    await untilInWarmUp(run);

    // Act
    const code = await stopChild(run.child, 'SIGINT');

    // Assess: the interrupted phase lasted until the stop, as the history in the run folder says.
    const { stdout } = run.output();
    expect(code).toBe(130);
    expect(stdout).not.toContain('expectation');
    const summary = JSON.parse(readFileSync(join(run.folder, 'summary.json'), 'utf8')) as LabSummary;
    const history = JSON.parse(readFileSync(join(run.folder, 'history.json'), 'utf8')) as {
      type: string;
      timestamp: string;
    }[];
    const last = summary.phases.at(-1);
    const stoppedAt = Date.parse(history.at(-1)?.timestamp ?? '');
    expect(history.at(-1)?.type).toBe('ExecutionAborted');
    expect(last?.simulatedSeconds).toBe(
      Math.round((stoppedAt - Date.parse(last?.simulatedStart ?? '')) / 1000),
    );
    expect(last?.phase).toBe('WaitForWarmUp');
    expect(last?.realSeconds).toBeGreaterThanOrEqual(1);
    // The reason may wrap to fit 100 columns: read it with its line breaks as spaces.
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      ` no verdict: the run was interrupted by SIGINT during ${last?.phase}, ${last?.simulatedSeconds} s (simulated) into it, before the lab could be judged `,
    );
    expect(stdout).toMatch(
      new RegExp(`\\n  ${last?.phase} +${humanDuration(last?.simulatedSeconds ?? 0)} simulated `),
    );
  }, 60_000);

  it("exits 130 under npm start too, as a terminal's Ctrl-C signals npm and the run together", async () => {
    // Prepare: `npm start` in its own process group, as a shell runs a foreground job.
    workDir = mkdtempSync(join(tmpdir(), 'scalelab-npm-start-'));
    const stateDir = join(workDir, 'state');
    const args = [
      'start',
      '--',
      '--name',
      'lab-1',
      '--state-dir',
      stateDir,
      '--runs-dir',
      join(workDir, 'runs'),
    ];
    const started = spawn('npm', args, {
      cwd: projectRoot(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const run = { child: started, stateDir, folder: '', output: () => ({ stdout: '', stderr }) };
    await untilInWarmUp(run);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      started.once('exit', (code, signal) => resolve({ code, signal })),
    );

    // Act: Ctrl-C reaches the whole foreground group.
    process.kill(-(started.pid ?? 0), 'SIGINT');
    const { code, signal } = await exited;

    // Assess: the shell reads 130 either way (npm re-raises the signal its child got).
    expect(code === 130 || signal === 'SIGINT', `code ${code}, signal ${signal}; stderr: ${stderr}`).toBe(
      true,
    );
    expect(stderr).toContain('phase 5/11');
  }, 60_000);
});
