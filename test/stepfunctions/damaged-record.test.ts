import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { fixture } from './harness.js';

const PASS_THROUGH = { StepFunctionArn: async (event: unknown) => event };

describe('a damaged execution record', () => {
  let dir: string;
  const services: LocalStepFunctions[] = [];
  afterEach(async () => {
    for (const service of services.splice(0)) await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(warnings: string[] = []): { service: LocalStepFunctions; stateMachineArn: string } {
    const service = new LocalStepFunctions({
      stateDir: dir,
      clock: new Clock({ scale: 1000 }),
      warn: (message) => warnings.push(message),
    });
    services.push(service);
    const { stateMachineArn = '' } = service.createStateMachine({
      name: 'cool-down',
      definition: fixture('cool-down'),
      substitutions: PASS_THROUGH,
    });
    return { service, stateMachineArn };
  }

  /** Execution lab-1, run to its end in a fresh state directory: its ARN, folder and history. */
  async function finishedLab1(): Promise<{ executionArn: string; folder: string; historyBefore: string }> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-damaged-'));
    const first = open();
    const { executionArn = '' } = first.service.startExecution({
      stateMachineArn: first.stateMachineArn,
      name: 'lab-1',
    });
    await first.service.whenSettled(executionArn);
    await first.service.close();
    const folder = path.join(dir, 'executions', encodeURIComponent('cool-down:lab-1'));
    const historyBefore = fs.readFileSync(path.join(folder, 'history.jsonl'), 'utf8');
    return { executionArn, folder, historyBefore };
  }

  it('is reported, never listed as gone, and its name stays taken: no history is ever merged', async () => {
    const { executionArn, folder, historyBefore } = await finishedLab1();
    fs.writeFileSync(path.join(folder, 'record.json'), '{"executionArn": "arn:aws:sta'); // torn

    const warnings: string[] = [];
    const second = open(warnings);

    expect(warnings).toEqual([
      `execution cool-down:lab-1 has a damaged record (record.json is not valid JSON (truncated or overwritten), in ${folder}): it is not listed and its name stays taken`,
    ]);
    expect(() =>
      second.service.startExecution({ stateMachineArn: second.stateMachineArn, name: 'lab-1' }),
    ).toThrow(
      expect.objectContaining({
        name: 'ExecutionAlreadyExists',
        message: expect.stringContaining('record is damaged'),
      }),
    );
    expect(() => second.service.describeExecution({ executionArn })).toThrow(
      expect.objectContaining({ name: 'ExecutionDoesNotExist', message: expect.stringContaining('damaged') }),
    );
    expect(fs.readFileSync(path.join(folder, 'history.jsonl'), 'utf8')).toBe(historyBefore);
  });

  // Found by re-running issue 14's attacks: a record.json that still parses but names another
  // execution than its folder (a garbled name) was listed under that other name, the folder's own
  // name was free again, and a new execution with it appended to the old history.jsonl.
  it('is also one that names another execution than its folder: reported, its name stays taken', async () => {
    const { folder, historyBefore } = await finishedLab1();
    const record = JSON.parse(fs.readFileSync(path.join(folder, 'record.json'), 'utf8'));
    record.name = 'lab-2';
    record.executionArn = record.executionArn.replace('lab-1', 'lab-2');
    fs.writeFileSync(path.join(folder, 'record.json'), JSON.stringify(record));
    // A folder whose name cannot be decoded is damaged too, and does not stop the start.
    fs.cpSync(folder, path.join(dir, 'executions', 'cool-down%3Ax%ZZ'), { recursive: true });

    const warnings: string[] = [];
    const second = open(warnings);

    expect(warnings).toEqual(
      expect.arrayContaining([
        `execution cool-down:lab-1 has a damaged record (record.json names execution cool-down:lab-2, not the one of its folder, in ${folder}): it is not listed and its name stays taken`,
        expect.stringContaining('cool-down%3Ax%ZZ'),
      ]),
    );
    expect(second.service.listExecutions({ stateMachineArn: second.stateMachineArn }).executions).toEqual([]);
    expect(() =>
      second.service.startExecution({ stateMachineArn: second.stateMachineArn, name: 'lab-1' }),
    ).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(fs.readFileSync(path.join(folder, 'history.jsonl'), 'utf8')).toBe(historyBefore);
  });
});
