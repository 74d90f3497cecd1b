import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLab } from '../../../cli/executions/serve.js';
import { processesMatching } from '../../helpers/proc-scan.js';
import { waitFor } from '../../helpers/wait-for.js';
import { type ServeFixture, scalelab, serveForTest } from './helpers.js';

/** The real lab behind the local endpoint: the operator commands drive the very workflow `run` runs. */
describe('scalelab serve with the lab state machine', () => {
  let s: ServeFixture;
  const logDir = mkdtempSync(join(tmpdir(), 'scalelab-serve-lab-'));
  beforeAll(async () => {
    s = await serveForTest(registerLab(logDir), 60);
  });
  afterAll(async () => {
    await s.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('starts the lab, shows it provisioning, stops it, and serve tears everything down', async () => {
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

    const stopped = await scalelab(s.serve.url, ['stop', 'lab-1']);
    expect(stopped.code).toBe(0);
    const after = JSON.parse((await scalelab(s.serve.url, ['show', 'lab-1', '--json'])).stdout) as {
      status: string;
    };
    expect(after.status).toBe('ABORTED');
  }, 60_000);

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
