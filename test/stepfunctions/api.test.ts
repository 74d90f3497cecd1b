import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_EXECUTION_INPUT_BYTES,
  MAX_EXECUTION_INPUT_DEPTH,
} from '../../local/stepfunctions/execution-input.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Harness, harness } from './harness.js';

describe('the Step Functions API surface', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  function errorNamed(name: string): unknown {
    return expect.objectContaining({ name });
  }

  it('uses AWS ARNs and describes state machines', () => {
    h = harness(1000);
    const arn = h.machine('basics');

    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:basics');
    expect(h.service.describeStateMachine({ stateMachineArn: arn })).toMatchObject({
      name: 'basics',
      status: 'ACTIVE',
      type: 'STANDARD',
    });
    expect(h.service.listStateMachines().stateMachines?.map((m) => m.name)).toEqual(['basics']);
    expect(() => h.service.describeStateMachine({ stateMachineArn: `${arn}-missing` })).toThrow(
      errorNamed('StateMachineDoesNotExist'),
    );
    expect(() => h.service.describeStateMachine({ stateMachineArn: 'not-an-arn' })).toThrow(
      errorNamed('InvalidArn'),
    );
  });

  it('validates execution names and input as AWS does', () => {
    h = harness(1000);
    const stateMachineArn = h.machine('cool-down', { StepFunctionArn: async (event) => event });

    expect(() => h.service.startExecution({ stateMachineArn, name: 'has space' })).toThrow(
      errorNamed('InvalidName'),
    );
    expect(() => h.service.startExecution({ stateMachineArn, name: 'a'.repeat(81) })).toThrow(
      errorNamed('InvalidName'),
    );
    expect(() => h.service.startExecution({ stateMachineArn, name: 'a:b' })).toThrow(
      errorNamed('InvalidName'),
    );
    expect(() => h.service.startExecution({ stateMachineArn, input: '{not json' })).toThrow(
      errorNamed('InvalidExecutionInput'),
    );
    const { executionArn } = h.service.startExecution({ stateMachineArn });
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:cool-down:[0-9a-f-]{36}$/);
  });

  it('refuses at the start an input over 262,144 bytes or nested too deep, creating no execution', () => {
    h = harness(1000);
    const stateMachineArn = h.machine('cool-down', { StepFunctionArn: async (event) => event });
    const oversize = JSON.stringify({ pad: 'x'.repeat(MAX_EXECUTION_INPUT_BYTES) });
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepButFine = `${'['.repeat(MAX_EXECUTION_INPUT_DEPTH)}"]"${']'.repeat(MAX_EXECUTION_INPUT_DEPTH)}`;

    expect(() => h.service.startExecution({ stateMachineArn, name: 'big', input: oversize })).toThrow(
      expect.objectContaining({
        name: 'ValidationException',
        message: expect.stringContaining('Member must have length less than or equal to 262144'),
      }),
    );
    expect(() => h.service.startExecution({ stateMachineArn, name: 'deep', input: deep })).toThrow(
      expect.objectContaining({
        name: 'InvalidExecutionInput',
        message: expect.stringContaining('10000 levels'),
      }),
    );
    expect(h.service.listExecutions({ stateMachineArn }).executions).toEqual([]);
    expect(
      h.service.startExecution({ stateMachineArn, name: 'fine', input: deepButFine }).executionArn,
    ).toBeDefined();
  });

  it('returns the open execution for the same name and input, ExecutionAlreadyExists otherwise', async () => {
    h = harness(1);
    const stateMachineArn = h.machine('cool-down', { StepFunctionArn: async (event) => event });
    const first = h.service.startExecution({ stateMachineArn, name: 'once', input: '{"a":1}' });

    const again = h.service.startExecution({ stateMachineArn, name: 'once', input: '{"a":1}' });

    expect(again).toEqual(first);
    expect(() => h.service.startExecution({ stateMachineArn, name: 'once', input: '{"a":2}' })).toThrow(
      errorNamed('ExecutionAlreadyExists'),
    );
    h.service.stopExecution({ executionArn: first.executionArn });
    await h.service.whenSettled(first.executionArn ?? '');
    expect(() => h.service.startExecution({ stateMachineArn, name: 'once', input: '{"a":1}' })).toThrow(
      errorNamed('ExecutionAlreadyExists'),
    );
  });

  it('lists executions newest first with a status filter and pagination', async () => {
    h = harness(1000);
    const stateMachineArn = h.machine('cool-down', { StepFunctionArn: async (event) => event });
    const names = ['run-1', 'run-2', 'run-3'];
    for (const name of names) {
      const { executionArn } = h.service.startExecution({ stateMachineArn, name });
      await h.service.whenSettled(executionArn ?? '');
    }

    const firstPage = h.service.listExecutions({ stateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 2 });
    const secondPage = h.service.listExecutions({
      stateMachineArn,
      statusFilter: 'SUCCEEDED',
      maxResults: 2,
      nextToken: firstPage.nextToken,
    });

    expect(firstPage.executions?.map((e) => e.name)).toEqual(['run-3', 'run-2']);
    expect(secondPage.executions?.map((e) => e.name)).toEqual(['run-1']);
    expect(secondPage.nextToken).toBeUndefined();
    expect(h.service.listExecutions({ stateMachineArn, statusFilter: 'FAILED' }).executions).toEqual([]);
    expect(() => h.service.listExecutions({ stateMachineArn, nextToken: '!!' })).toThrow(
      errorNamed('InvalidToken'),
    );
  });

  it('pages history forwards and in reverse, with simulated and real timestamps', async () => {
    h = harness(1000);
    const stateMachineArn = h.machine('cool-down', { StepFunctionArn: async (event) => event });
    const { executionArn } = h.service.startExecution({ stateMachineArn });
    await h.service.whenSettled(executionArn ?? '');

    const all = h.service.getExecutionHistory({ executionArn }).events;
    const page = h.service.getExecutionHistory({ executionArn, maxResults: 3 });
    const rest = h.service.getExecutionHistory({ executionArn, maxResults: 100, nextToken: page.nextToken });
    const reversed = h.service.getExecutionHistory({ executionArn, reverseOrder: true }).events;

    expect([...page.events, ...rest.events]).toEqual(all);
    expect(reversed.map((e) => e.id)).toEqual(all.map((e) => e.id).reverse());
    expect(all[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    expect(all.every((e) => e.timestamp instanceof Date && e.realTimestamp instanceof Date)).toBe(true);
    expect(() => h.service.getExecutionHistory({ executionArn: `${executionArn}x` })).toThrow(
      errorNamed('ExecutionDoesNotExist'),
    );
  });

  it('publishes a Step Functions Execution Status Change event for each status', async () => {
    h = harness(1000);
    const stateMachineArn = h.machine('cool-down', { StepFunctionArn: async (event) => event });
    const { executionArn } = h.service.startExecution({ stateMachineArn, name: 'evented', input: '{"x":1}' });
    await h.service.whenSettled(executionArn ?? '');

    await waitFor(() => h.events.length >= 2, { what: 'two status events' });
    expect(h.events.map((e) => e.detail.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    const succeeded = h.events[1];
    expect(succeeded).toMatchObject({
      version: '0',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      region: 'us-east-1',
      resources: [executionArn],
      detail: {
        executionArn,
        stateMachineArn,
        name: 'evented',
        status: 'SUCCEEDED',
        input: '{"x":1}',
        inputDetails: { included: true },
        outputDetails: { included: true },
      },
    });
    expect(typeof succeeded?.detail.startDate).toBe('number');
    expect(typeof succeeded?.detail.stopDate).toBe('number');
    expect(succeeded?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('refuses a definition that breaks the rules, naming the state and the rule', () => {
    h = harness(1000);
    const definition = JSON.stringify({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `\${CallFunctionArn}`, 'Payload.$': '$' },
          End: true,
        },
      },
    });
    const create = (): unknown =>
      h.service.createStateMachine({
        name: 'no-timeout',
        definition,
        substitutions: { CallFunctionArn: async () => null },
      });

    expect(create).toThrow(errorNamed('InvalidDefinition'));
    expect(create).toThrow(/state 'Call' breaks rule 'explicit-timeouts'/);
    expect(() => h.service.createStateMachine({ name: 'no-handler', definition })).toThrow(
      /\$\{CallFunctionArn\} has no substitution/,
    );
    expect(() => h.service.createStateMachine({ name: 'bad json', definition: '{' })).toThrow(
      errorNamed('InvalidName'),
    );
  });

  it('keeps one definition per name: re-creating it attaches handlers, a different one is refused', () => {
    h = harness(1000);
    const arn = h.machine('cool-down', { StepFunctionArn: async (event) => event });

    expect(h.machine('cool-down', { StepFunctionArn: async (event) => event })).toBe(arn);
    expect(() =>
      h.service.createStateMachine({
        name: 'cool-down',
        definition: h.service.describeStateMachine({ stateMachineArn: h.machine('basics') }).definition ?? '',
      }),
    ).toThrow(errorNamed('StateMachineAlreadyExists'));
  });
});
