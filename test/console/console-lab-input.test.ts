/** The console's start form against the lab: the CLI's messages, and Validate's refusals said before anything starts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionInput } from '../../cli/executions/input.js';
import { registerLab } from '../../cli/executions/serve.js';
import type { StateMachineInfo } from '../../console/model/console-api.js';
import { type ServeFixture, serveForTest } from '../cli/executions/helpers.js';

describe('the console start form with the lab', () => {
  let s: ServeFixture;
  const logDir = mkdtempSync(join(tmpdir(), 'scalelab-console-lab-'));
  const start = (input: unknown) =>
    fetch(`${s.serve.consoleUrl}api/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stateMachine: 'lab-lifecycle', name: 'lab-x', input: JSON.stringify(input) }),
    });

  beforeAll(async () => {
    s = await serveForTest(registerLab(logDir, join(logDir, 'runs')), 1000);
  });
  afterAll(async () => {
    await s?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('fills the form with the configuration the lab was built with', async () => {
    const [lab] = (await (
      await fetch(`${s.serve.consoleUrl}api/state-machines`)
    ).json()) as StateMachineInfo[];
    expect(lab?.isLab).toBe(true);
    const { config } = JSON.parse(lab?.defaultInput ?? '{}') as { config: { timeScale: number } };
    expect(config.timeScale).toBe(1000);
  });

  it('refuses a field out of its bounds with the message the CLI gives', async () => {
    let cliMessage = '';
    try {
      executionInput({ set: ['stress.cpuPercent=500'] });
    } catch (error) {
      cliMessage = (error as Error).message;
    }
    expect(cliMessage).toMatch(/^invalid lab configuration: stress\.cpuPercent/);
    const answer = await start({ config: { stress: { cpuPercent: 500 } } });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { errors: { input: string } }).errors.input).toBe(cliMessage);
  });

  it('refuses a field fixed at deploy as Validate would, before anything starts', async () => {
    const answer = await start({ config: { section2: { maxSize: 9 } } });
    expect(answer.status).toBe(400);
    const { errors } = (await answer.json()) as { errors: { input: string } };
    expect(errors.input).toMatch(
      /^invalid lab configuration: section2\.maxSize is fixed at deploy \(the lab was deployed with 3/,
    );
    const list = (await (await fetch(`${s.serve.consoleUrl}api/executions`)).json()) as unknown[];
    expect(list).toEqual([]);
  });
});
