import { type ChildProcess, spawn } from 'node:child_process';
import * as os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterStateMachines } from '../../../cli/executions/serve.js';
import { CLI } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/wait-for.js';
import { type CliResult, type ServeFixture, scalelab, serveForTest } from './helpers.js';

const HELD = 'arn:aws:states:us-east-1:000000000000:execution:held';

/** A state machine whose Hold step waits until `release` is called: the execution runs as long as needed. */
function heldStateMachine(held: (() => void)[]): RegisterStateMachines {
  const definition = JSON.stringify({
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Next: 'Hold' },
      Hold: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL substitution placeholder, not a template
        Parameters: { FunctionName: '${HoldFunctionArn}', Payload: {} },
        TimeoutSeconds: 3600,
        Next: 'Done',
      },
      Done: { Type: 'Pass', End: true },
    },
  });
  const hold = (): Promise<unknown> => new Promise((resolve) => held.push(() => resolve({ held: true })));
  return ({ stepFunctions }) => [
    stepFunctions.createStateMachine({ name: 'held', definition, substitutions: { HoldFunctionArn: hold } })
      .stateMachineArn ?? '',
  ];
}

/** A CLI run whose output can be read while it runs. */
function spawnScalelab(
  endpoint: string,
  args: string[],
): { child: ChildProcess; out: () => string; exit: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), SCALELAB_ENDPOINT: endpoint },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exit = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, out: () => stdout, exit };
}

describe('scalelab follow', () => {
  let s: ServeFixture;
  const held: (() => void)[] = [];
  const release = (): void => {
    for (const go of held.splice(0)) go();
  };
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    s = await serveForTest(heldStateMachine(held));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
  });
  afterAll(async () => {
    release();
    await s.close();
  });

  it('re-attaches to a running execution: where it is, what happens from now on, exit 0 on success', async () => {
    // Prepare: an execution held in its Hold step.
    expect((await scalelab(s.serve.url, ['start', '--name', 'held-1'])).code).toBe(0);

    // Act: re-attach while it is held, then let it go on.
    const following = spawnScalelab(s.serve.url, ['follow', 'held-1', '--poll-ms', '20']);
    children.push(following.child);
    await waitFor(() => following.out().includes('  > Hold (Task)'), {
      timeoutMs: 20_000,
      what: () => `follow to print the Hold step, got ${JSON.stringify(following.out())}`,
    });
    release();
    const result = await following.exit;

    // Assess: what was done before the re-attach is not printed again.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`following ${HELD}:held-1`);
    expect(result.stdout).not.toMatch(/Prepare/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}\+ Hold done in \d+(\.\d)? (s|min.*) \(simulated\)$/),
    );
    expect(lines.at(-1)).toBe(`SUCCEEDED: ${HELD}:held-1`);
  }, 40_000);

  it('of an execution that ended: its end, and the exit code of its status', async () => {
    expect((await scalelab(s.serve.url, ['start', '--name', 'held-2'])).code).toBe(0);
    expect((await scalelab(s.serve.url, ['stop', 'held-2'])).code).toBe(0);

    const result = await scalelab(s.serve.url, ['follow', 'held-2', '--json']);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ABORTED' });
  }, 40_000);

  it('refuses a missing execution operand as bad usage', async () => {
    const result = await scalelab(s.serve.url, ['follow']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected one execution');
  });
});
