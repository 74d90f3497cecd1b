import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DEFINITION, DEMO_STATE_MACHINE_NAME } from '../../../cli/executions/demo-state-machine.js';
import { Clock } from '../../../local/clock.js';
import { LocalStepFunctions } from '../../../local/stepfunctions/index.js';
import { CLI, stopChild } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/wait-for.js';
import { scalelab } from './helpers.js';

const READY =
  /^scalelab serve: AWS endpoint (http:\/\/127\.0\.0\.1:\d+) \(Step Functions, EventBridge, EC2, Auto Scaling, ELBv2, CloudWatch, DynamoDB; region us-east-1; state machines scalelab-demo; state (\S+); pid \d+\)$/m;

interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => stopChild(child, 'SIGKILL')));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-serve-'));
  dirs.push(dir);
  return dir;
}

async function spawnServe(stateDir: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--demo', '--port', '0', '--state-dir', stateDir, '--time-scale', '1000'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const match = await waitFor(() => READY.exec(output), { what: () => `the ready line (got: ${output})` });
  return { child, url: match[1] ?? '', output: () => output };
}

describe('scalelab serve', () => {
  it('prints one ready line, answers the SDK, and exits 0 on SIGINT and SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const served = await spawnServe(tempDir());
      const client = new SFNClient({
        endpoint: served.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      });
      try {
        const { stateMachines } = await client.send(new ListStateMachinesCommand({}));
        expect(stateMachines?.map((m) => m.name)).toEqual([DEMO_STATE_MACHINE_NAME]);
      } finally {
        client.destroy();
      }

      expect(await stopChild(served.child, signal)).toBe(0);
      expect(served.output()).toMatch(new RegExp(`scalelab serve: stopped \\(${signal}\\)\\n$`));
    }
  });

  it('lists executions already recorded in its state directory (as `scalelab run` leaves them)', async () => {
    const stateDir = tempDir();
    const earlier = new LocalStepFunctions({ stateDir, clock: new Clock({ scale: 1000 }) });
    const { stateMachineArn } = earlier.createStateMachine({
      name: DEMO_STATE_MACHINE_NAME,
      definition: DEMO_DEFINITION,
      substitutions: { DemoStepFunctionArn: async () => ({ verdict: 'PASS' }) },
    });
    const { executionArn } = earlier.startExecution({ stateMachineArn, name: 'from-run', input: '{}' });
    await earlier.whenSettled(executionArn ?? '');
    await earlier.close();

    const served = await spawnServe(stateDir);
    const listed = await scalelab(served.url, ['list', '--json']);

    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: 'from-run', status: 'SUCCEEDED', executionArn }),
    ]);
  });

  it('exits 1 naming the address when the port is taken', async () => {
    const first = await spawnServe(tempDir());
    const port = new URL(first.url).port;

    const second = await scalelab(first.url, ['serve', '--demo', '--port', port, '--state-dir', tempDir()]);

    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(`scalelab serve: cannot listen on 127.0.0.1:${port}: port in use`);
  });
});
