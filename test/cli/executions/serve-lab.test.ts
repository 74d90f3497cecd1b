import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLab, type ServeContext } from '../../../cli/executions/serve.js';
import { LAB_TORN_DOWN_EVENT_TYPE } from '../../../lab/events.js';
import type { EventBridgeEvent } from '../../../local/eventbridge/index.js';
import { processesMatching } from '../../helpers/proc-scan.js';
import { waitFor } from '../../helpers/wait-for.js';
import { labAtRest, type ServeFixture, scalelab, serveForTest } from './helpers.js';

/** The real lab behind the local endpoint: the operator commands drive the very workflow `run` runs. */
describe('scalelab serve with the lab state machine', () => {
  let s: ServeFixture;
  let context: ServeContext;
  const events: EventBridgeEvent[] = [];
  const logDir = mkdtempSync(join(tmpdir(), 'scalelab-serve-lab-'));
  /**
   * Slow enough that a lab lasts over a real minute: the tests stop executions they saw RUNNING,
   * and on a loaded CI runner the CLI calls between the two took long enough at x60 for the lab
   * to end first.
   */
  const TIME_SCALE = 20;
  beforeAll(async () => {
    s = await serveForTest(async (served) => {
      context = served;
      served.cloud.bus.subscribe((event) => void events.push(event));
      return registerLab(logDir, join(logDir, 'runs'))(served);
    }, TIME_SCALE);
  });

  /** The execution's `show --json` once it has reached `phase`. */
  async function reached(name: string, phase: string): Promise<{ status: string }> {
    return waitFor(
      async () => {
        const result = await scalelab(s.serve.url, ['show', name, '--json']);
        const view = JSON.parse(result.stdout) as { status: string; phases: { name: string }[] };
        return view.phases.some((p) => p.name === phase) ? view : undefined;
      },
      { timeoutMs: 15_000, what: `${name} to reach ${phase}` },
    );
  }
  afterAll(async () => {
    await s.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('starts the lab, shows it provisioning, stops it, and the lab is torn down at once, serve still up', async () => {
    expect(s.serve.stateMachineArns).toEqual([
      'arn:aws:states:us-east-1:000000000000:stateMachine:lab-lifecycle',
    ]);
    // What the AWS console's Start execution dialog pre-fills.
    const input = '{"Comment": "Insert your JSON here"}';
    const started = await scalelab(s.serve.url, ['start', '--name', 'lab-1', '--input', input]);
    expect(started.stderr).toBe('');
    expect(started.stdout.trim()).toBe('arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:lab-1');

    const shown = await waitFor(
      async () => {
        const result = await scalelab(s.serve.url, ['show', 'lab-1', '--json']);
        const view = JSON.parse(result.stdout) as { status: string; phases: { name: string }[] };
        return view.phases.some(({ name }) => name === 'CheckHealth') ? view : undefined;
      },
      { timeoutMs: 15_000, what: 'the lab to reach its health checks' },
    );
    expect(shown.status).toBe('RUNNING');
    expect(shown.phases.map(({ name }) => name).slice(0, 2)).toEqual(['Validate', 'Provision']);

    const running = context.cloud.ec2.describeInstances().filter((i) => i.state !== 'stopped');
    expect(running.length).toBeGreaterThan(0);

    const stopped = await scalelab(s.serve.url, ['stop', 'lab-1']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(
      /^stopped \S+:lab-1 at \S+Z in state \w+\nit had started section-1 instances i-/,
    );
    expect(stopped.stdout).toContain('on-execution-end now tears it down');
    const after = JSON.parse((await scalelab(s.serve.url, ['show', 'lab-1', '--json'])).stdout) as {
      status: string;
    };
    expect(after.status).toBe('ABORTED');
    // A stop skips every Catch: on-execution-end tears down on the status-change event.
    await labAtRest(context);
    const tornDown = await waitFor(() => events.find((e) => e['detail-type'] === LAB_TORN_DOWN_EVENT_TYPE), {
      what: 'the Lab Torn Down event',
    });
    expect(tornDown.detail).toMatchObject({ executionName: 'lab-1', status: 'ABORTED' });
    const named = (tornDown.detail as { stopped: string[] }).stopped.join(' ');
    for (const { instanceId } of running) expect(named).toContain(instanceId);
  }, 60_000);

  it('runs one execution at a time: a second fails at Validate naming the first, which goes on untouched', async () => {
    await scalelab(s.serve.url, ['start', '--name', 'first']);
    await reached('first', 'CheckHealth');

    const second = await scalelab(s.serve.url, ['start', '--name', 'second']);
    expect(second.code).toBe(0);
    const refused = await waitFor(
      async () => {
        const result = await scalelab(s.serve.url, ['show', 'second', '--json']);
        const view = JSON.parse(result.stdout) as { status: string; error?: string; cause?: string };
        return view.status === 'RUNNING' ? undefined : view;
      },
      { timeoutMs: 15_000, what: 'the second execution to end' },
    );
    expect(refused).toMatchObject({ status: 'FAILED', error: 'LabBusy' });
    expect(refused.cause).toContain('the lab is in use by execution first (');

    // The first one's lab was not touched: still running, its instances still up.
    const first = JSON.parse((await scalelab(s.serve.url, ['show', 'first', '--json'])).stdout) as {
      status: string;
    };
    expect(first.status).toBe('RUNNING');
    expect(context.cloud.ec2.describeInstances().some((i) => i.state === 'running')).toBe(true);
    expect((await scalelab(s.serve.url, ['stop', 'first'])).code).toBe(0);
    await labAtRest(context);
    // Released: the next execution gets past Validate.
    await scalelab(s.serve.url, ['start', '--name', 'third']);
    await reached('third', 'Provision');
    expect((await scalelab(s.serve.url, ['stop', 'third'])).code).toBe(0);
    await labAtRest(context);
  }, 90_000);

  it('refuses at Validate a --set of a field the served lab was built with, naming the field', async () => {
    const started = await scalelab(s.serve.url, [
      'start',
      '--name',
      'fixed-1',
      '--set',
      'section2.maxSize=4',
    ]);
    expect(started.code).toBe(0);

    const shown = await waitFor(
      async () => {
        const result = await scalelab(s.serve.url, ['show', 'fixed-1', '--json']);
        const view = JSON.parse(result.stdout) as { status: string };
        return view.status === 'RUNNING' ? undefined : { view, text: result.stdout };
      },
      { timeoutMs: 15_000, what: 'the execution to end' },
    );
    expect(shown.view).toMatchObject({ status: 'FAILED', error: 'InvalidLabConfig' });
    expect(shown.text).toContain(
      'section2.maxSize is fixed at deploy (the lab was deployed with 3, the input asks for 4)',
    );
    expect(shown.text).toContain('restart scalelab serve with --set section2.maxSize=4');
  }, 30_000);

  it('refuses a second process on the same state directory', async () => {
    const result = await scalelab(s.serve.url, [
      'run',
      '--state-dir',
      s.stateDir,
      '--runs-dir',
      join(logDir, 'runs'),
      '--name',
      'refused',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/state directory .* is in use by process \d+/);
    expect(existsSync(join(logDir, 'runs', 'refused'))).toBe(false);
    expect(processesMatching(s.stateDir).filter((pid) => pid !== process.pid)).toEqual([]);
  });
});
