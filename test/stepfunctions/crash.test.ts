import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { type Harness, harness, typesOf } from './harness.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'crash-child.mjs');
const BUILT_SERVICE = path.join(HERE, '..', '..', 'dist', 'local', 'stepfunctions', 'index.js');
const FIXTURE = path.join(HERE, '..', 'fixtures', 'asl', 'cool-down.asl.json');

describe('a crash of the process running an execution', () => {
  let child: ChildProcess | undefined;
  let h: Harness | undefined;
  let stateDir: string | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    await h?.close();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('leaves a record that a new service shows ABORTED and a redrive finishes', async () => {
    // Prepare: the child runs the service from dist/ (npm test builds it first).
    expect(fs.existsSync(BUILT_SERVICE), 'dist/ is missing: run `npm run build`').toBe(true);
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-sfn-crash-'));
    const running = spawn(process.execPath, [CHILD, stateDir, FIXTURE], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = running;
    let stdout = '';
    let stderr = '';
    running.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    running.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const executionArn = await waitFor(() => /WAITING (\S+)/.exec(stdout)?.[1], {
      timeoutMs: 15_000,
      what: () => `the child to reach the Wait state (stderr: ${stderr})`,
    });

    // Act: kill it mid-wait, then open the same state directory in a fresh service.
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
    h = harness(1000, stateDir);
    const afterCrash = h.service.describeExecution({ executionArn });

    // Assess: ABORTED with a cause that says the process ended; then a redrive finishes it.
    expect(afterCrash).toMatchObject({
      status: 'ABORTED',
      error: 'States.Runtime',
      redriveStatus: 'REDRIVABLE',
    });
    expect(afterCrash.cause).toMatch(/process that ran this execution ended/);
    const events = h.service.getExecutionHistory({ executionArn }).events;
    expect(typesOf(events).slice(-2)).toEqual(['WaitStateEntered', 'ExecutionAborted']);
    // The new service's clock started at real time, behind the dead one's: the abort is stamped
    // no earlier than what that process recorded, so no duration reads negative.
    const [entered, aborted] = events.slice(-2).map((e) => e.timestamp?.getTime() ?? 0);
    expect(aborted).toBeGreaterThanOrEqual(entered ?? Number.POSITIVE_INFINITY);
    expect(afterCrash.stopDate?.getTime()).toBeGreaterThanOrEqual(afterCrash.startDate?.getTime() ?? 0);
    expect(() => h?.service.redriveExecution({ executionArn })).toThrow(
      expect.objectContaining({ name: 'ValidationException' }),
    );

    const steps: string[] = [];
    h.machine('cool-down', {
      StepFunctionArn: async (event) => {
        steps.push((event as { step: string }).step);
        return event;
      },
    });
    h.service.redriveExecution({ executionArn });
    const described = await h.service.whenSettled(executionArn);

    expect(described).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    await waitFor(() => h?.events.length === 3, { what: 'three status change events' });
    expect(h.events.map((e) => [e.detail.status, e.detail.redriveCount])).toEqual([
      ['ABORTED', 0],
      ['RUNNING', 1],
      ['SUCCEEDED', 1],
    ]);
    expect(steps).toEqual(['after']);
    const types = typesOf(h.service.getExecutionHistory({ executionArn, maxResults: 1000 }).events);
    expect(types.slice(types.indexOf('ExecutionRedriven'))).toEqual([
      'ExecutionRedriven',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(JSON.parse(described.output ?? 'null')).toEqual({
      after: { step: 'after', input: { before: { step: 'before', input: { run: 'crash' } } } },
    });
  });
});
