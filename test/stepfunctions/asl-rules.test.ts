import { describe, expect, it } from 'vitest';
import { checkAslRules } from '../../local/stepfunctions/index.js';

type Machine = Parameters<typeof checkAslRules>[0];

const invoke = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `\${WorkFunctionArn}`, 'Payload.$': '$' },
  TimeoutSeconds: 30,
  End: true,
  ...extra,
});

function machineWith(state: Record<string, unknown>): Machine {
  return { StartAt: 'Only', States: { Only: state } };
}

function rulesBroken(machine: Machine): string[] {
  return checkAslRules(machine).map((v) => `${v.state}:${v.rule}`);
}

describe('checkAslRules (docs/asl-rules.md)', () => {
  it('accepts a task that follows every rule', () => {
    expect(rulesBroken(machineWith(invoke()))).toEqual([]);
  });

  it.each([
    ['JSONata', { QueryLanguage: 'JSONata' }, 'jsonpath-only'],
    ['Arguments', { Arguments: {} }, 'jsonpath-only'],
    ['Assign', { Assign: { x: 1 } }, 'jsonpath-only'],
    ['another resource', { Resource: 'arn:aws:states:::sqs:sendMessage' }, 'task-resource'],
    [
      'a literal function name',
      { Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:1:function:f' } },
      'task-resource',
    ],
    ['no TimeoutSeconds', { TimeoutSeconds: undefined }, 'explicit-timeouts'],
    ['TimeoutSecondsPath', { TimeoutSeconds: undefined, TimeoutSecondsPath: '$.t' }, 'explicit-timeouts'],
    ['ResultPath $', { ResultPath: '$' }, 'no-result-path-root'],
    [
      '$$.Execution.Input',
      { Parameters: { FunctionName: `\${W}`, 'Payload.$': '$$.Execution.Input' } },
      'context-object',
    ],
    [
      '$$.State.EnteredTime in an intrinsic',
      { Parameters: { FunctionName: `\${W}`, 'Payload.$': "States.Format('{}', $$.State.EnteredTime)" } },
      'context-object',
    ],
    [
      'States.ALL before States.Timeout',
      { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Only' }] },
      'catch-timeouts-first',
    ],
  ])('names the state and rule for %s', (_what, change, rule) => {
    expect(rulesBroken(machineWith(invoke(change)))).toContain(`Only:${rule}`);
  });

  it('requires HeartbeatSeconds < TimeoutSeconds and both timeouts caught first on callback tasks', () => {
    const callback = invoke({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      HeartbeatSeconds: 30,
      Catch: [
        { ErrorEquals: ['States.Timeout'], Next: 'Only' },
        { ErrorEquals: ['States.TaskFailed'], Next: 'Only' },
      ],
    });

    expect(rulesBroken(machineWith(callback))).toEqual([
      'Only:explicit-timeouts',
      'Only:catch-timeouts-first',
    ]);
  });

  it('rejects Timestamp waits and checks states nested in Map and Parallel', () => {
    const machine: Machine = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'Later',
              States: { Later: { Type: 'Wait', Timestamp: '2030-01-01T00:00:00Z', End: true } },
            },
          ],
        },
      },
    };

    expect(checkAslRules(machine)).toEqual([
      expect.objectContaining({
        state: 'Later',
        rule: 'wait-seconds-only',
        message: expect.stringContaining("state 'Later'"),
      }),
    ]);
  });

  it('allows $$.Task.Token, $$.Execution.Name / Id and $$.Map.Item.*', () => {
    const state = invoke({
      Parameters: {
        FunctionName: `\${W}`,
        Payload: {
          't.$': '$$.Task.Token',
          'n.$': '$$.Execution.Name',
          'i.$': '$$.Execution.Id',
          'v.$': '$$.Map.Item.Value',
        },
      },
    });
    expect(rulesBroken(machineWith(state))).toEqual([]);
  });
});
