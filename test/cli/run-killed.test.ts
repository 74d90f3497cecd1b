import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerDemo, startServe } from '../../cli/executions/serve.js';
import { Clock } from '../../local/clock.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { fillOrphanedRunFolders, type OrphanedRunSummary } from '../../local-lab/run/orphaned-runs.js';
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

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:lab-1';

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

describe('the run folder of a scalelab run killed with SIGKILL', () => {
  it('gets a summary saying the run was cut off, and where, at the next start on its state folder', async () => {
    // Prepare: a run well into its health checks.
    workDir = mkdtempSync(join(tmpdir(), 'scalelab-killed-'));
    const stateDir = join(workDir, 'state');
    const folder = join(workDir, 'runs', 'lab-1');
    const args = ['run', '--name', 'lab-1', '--state-dir', stateDir, '--runs-dir', join(workDir, 'runs')];
    const run = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    child = run;
    const history = join(stateDir, 'executions', encodeURIComponent('lab-lifecycle:lab-1'), 'history.jsonl');
    await waitFor(() => existsSync(history) && readFileSync(history, 'utf8').includes('"CheckHealth"'), {
      timeoutMs: 30_000,
      what: 'the run to reach its health checks',
    });

    // Act: kill it, then start serve on the same state folder.
    await stopChild(run, 'SIGKILL');
    expect(existsSync(join(folder, 'summary.json'))).toBe(false);
    const warnings: unknown[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((line) => warnings.push(line) > 0);
    const serve = await startServe({ stateDir, port: 0, register: registerDemo }).finally(() =>
      stderr.mockRestore(),
    );
    await serve.close();

    // Assess: what is known is in the run folder, next to what the run wrote itself.
    const summary = readJson<OrphanedRunSummary>(join(folder, 'summary.json'));
    expect(summary.execution).toMatchObject({ name: 'lab-1', arn: ARN, status: 'ABORTED' });
    expect(summary.verdict).toMatchObject({ verdict: 'FAIL', expectations: [] });
    expect(summary.verdict.reason).toMatch(/^no verdict: the process running the lab ended/);
    expect(summary.interrupted.phase).toBe(summary.phases.at(-1)?.phase);
    expect(summary.phases.map(({ phase }) => phase).slice(0, 3)).toEqual([
      'Validate',
      'Provision',
      'WaitUntilHealthy',
    ]);
    expect(readJson<{ status: string }>(join(folder, 'execution.json')).status).toBe('ABORTED');
    expect(readJson<{ type: string }[]>(join(folder, 'history.json')).at(-1)?.type).toBe('ExecutionAborted');
    expect(readdirSync(folder)).toContain('handler-log.jsonl');
    expect(warnings).toEqual([
      `scalelab: run lab-1 ended with its process (killed or crashed); its execution is now ABORTED and summary.json, execution.json, history.json written to ${folder}\n`,
    ]);
  }, 60_000);
});

describe('filling in an orphaned run folder', () => {
  /** A state folder as a run leaves it when killed mid-Provision, and its noted run folder. */
  function orphanOnDisk(name = 'lab-1'): { stateDir: string; folder: string } {
    workDir ??= mkdtempSync(join(tmpdir(), 'scalelab-orphan-'));
    const stateDir = join(workDir, 'state');
    const folder = join(workDir, 'runs', name);
    const arn = `arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:${name}`;
    const executionDir = join(stateDir, 'executions', encodeURIComponent(`lab-lifecycle:${name}`));
    mkdirSync(executionDir, { recursive: true });
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(executionDir, 'record.json'),
      JSON.stringify({
        executionArn: arn,
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:lab-lifecycle',
        stateMachineName: 'lab-lifecycle',
        name,
        status: 'RUNNING',
        input: '{}',
        startDate: '2026-01-01T00:00:00.000Z',
        realStartDate: '2026-01-01T00:00:00.000Z',
        redriveCount: 0,
        definition: '{}',
        timeScale: 20,
      }),
    );
    const event = (id: number, type: string, second: number, name?: string) =>
      JSON.stringify({
        id,
        previousEventId: id - 1,
        type,
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second * 20)).toISOString(),
        realTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
        ...(name && { stateEnteredEventDetails: { name } }),
      });
    writeFileSync(
      join(executionDir, 'history.jsonl'),
      [
        event(1, 'ExecutionStarted', 0),
        event(2, 'TaskStateEntered', 0, 'Validate'),
        event(3, 'TaskStateExited', 1),
        event(4, 'TaskStateEntered', 1, 'Provision'),
        event(5, 'TaskScheduled', 2),
        '',
      ].join('\n'),
    );
    appendFileSync(join(stateDir, 'run-folders.jsonl'), `${JSON.stringify({ executionArn: arn, folder })}\n`);
    return { stateDir, folder };
  }

  function openService(stateDir: string): LocalStepFunctions {
    return new LocalStepFunctions({ stateDir, clock: new Clock({ scale: 20 }), publish: () => undefined });
  }

  it('records the phase reached and the last recorded event, not the time of the later start', async () => {
    const { stateDir, folder } = orphanOnDisk();
    const service = openService(stateDir);
    try {
      fillOrphanedRunFolders(service, stateDir, () => undefined);
    } finally {
      await service.close();
    }

    const summary = readJson<OrphanedRunSummary>(join(folder, 'summary.json'));
    expect(summary.interrupted).toMatchObject({
      phase: 'Provision',
      lastRecordedEvent: {
        type: 'TaskScheduled',
        simulated: '2026-01-01T00:00:40.000Z',
        real: '2026-01-01T00:00:02.000Z',
      },
    });
    expect(summary.phases).toEqual([
      { phase: 'Validate', simulatedStart: '2026-01-01T00:00:00.000Z', simulatedSeconds: 20, realSeconds: 1 },
      {
        phase: 'Provision',
        simulatedStart: '2026-01-01T00:00:20.000Z',
        simulatedSeconds: 20,
        realSeconds: 1,
      },
    ]);
  });

  it('never overwrites a file the run wrote, and leaves a folder that is gone alone', async () => {
    // Prepare: the run had written its summary when it was killed; a second orphan's folder is gone.
    const { stateDir, folder } = orphanOnDisk();
    writeFileSync(join(folder, 'summary.json'), '{"written":"by the run"}\n');
    const gone = orphanOnDisk('lab-2').folder;
    rmSync(gone, { recursive: true });

    // Act
    const service = openService(stateDir);
    let filled: string[];
    try {
      filled = fillOrphanedRunFolders(service, stateDir, () => undefined);
    } finally {
      await service.close();
    }

    // Assess
    expect(filled).toEqual([folder]);
    expect(readFileSync(join(folder, 'summary.json'), 'utf8')).toBe('{"written":"by the run"}\n');
    expect(readdirSync(folder).sort()).toEqual(['execution.json', 'history.json', 'summary.json']);
    expect(existsSync(gone)).toBe(false);
  });
});
