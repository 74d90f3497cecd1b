import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { OBSERVE_ROUND } from '../../lab/budgets.js';
import { LAMBDA_SERVICE_ERRORS, workflowErrorNames } from '../../lab/workflow-errors.js';
import { HANDLERS } from '../../lambdas/index.js';
import { checkAslRules } from '../../local/stepfunctions/index.js';

const FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'state-machines',
  'lab-lifecycle.asl.json',
);
const TEXT = fs.readFileSync(FILE, 'utf8');
type State = Record<string, unknown> & { Type: string };
const MACHINE = JSON.parse(TEXT) as { StartAt: string; States: Record<string, State> };
const STATES = Object.entries(MACHINE.States);

function errorNamesUsed(): string[] {
  const names: string[] = [];
  for (const [, state] of STATES) {
    for (const field of ['Retry', 'Catch']) {
      for (const rule of (state[field] as { ErrorEquals: string[] }[] | undefined) ?? [])
        names.push(...rule.ErrorEquals);
    }
    if (state.Type === 'Fail' && typeof state.Error === 'string') names.push(state.Error);
    const parameters = state.Parameters as Record<string, unknown> | undefined;
    if (state.Type === 'Pass' && typeof parameters?.Error === 'string') names.push(parameters.Error);
  }
  return [...new Set(names)];
}

describe('state-machines/lab-lifecycle.asl.json', () => {
  it('is valid ASL (asl-validator, on a copy with the placeholders substituted)', () => {
    const substituted = TEXT.replace(/\$\{(\w+)\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1');
    const copy = JSON.parse(substituted) as unknown;

    const result = aslValidator(copy, { checkPaths: true, checkArn: true });

    expect(result.errorsText('; ')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('follows docs/asl-rules.md', () => {
    expect(checkAslRules(structuredClone(MACHINE))).toEqual([]);
  });

  it('uses exactly the placeholders of the handler map', () => {
    const placeholders = new Set([...TEXT.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]));

    expect([...placeholders].sort()).toEqual(Object.keys(HANDLERS).sort());
  });

  it('names only errors of the workflow error contract (lab/workflow-errors.ts)', () => {
    const known = workflowErrorNames();
    const used = errorNamesUsed();
    const custom = used.filter((n) => !n.startsWith('States.') && !n.startsWith('Lambda.'));

    expect(custom.length).toBeGreaterThan(3);
    expect(used.filter((n) => !known.has(n))).toEqual([]);
  });

  it("retries every Lambda service error on every task, AWS's ClientExecutionTimeoutException included", () => {
    const tasks = STATES.filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(5);
    for (const [name, state] of tasks) {
      const retried = ((state.Retry as { ErrorEquals: string[] }[] | undefined) ?? []).flatMap(
        (rule) => rule.ErrorEquals,
      );
      expect(retried, name).toEqual(expect.arrayContaining([...LAMBDA_SERVICE_ERRORS]));
    }
  });

  it('catches every error of every step and leads it to tear-down, then to a Fail with the original error', () => {
    const afterError = new Set(['TearDownAfterError', 'VerdictAfterError']);
    const observeRounds = new Set(['ObserveScaleOut', 'ObserveScaleIn']);
    for (const [name, state] of STATES.filter(([, s]) => s.Type === 'Task')) {
      const all = state.Catch as { ErrorEquals: string[]; Next: string; ResultPath: string }[];
      // An observe round's timeout starts the next round, a busy lab ends Validate untouched (both
      // checked below); every other error tears down.
      const catchers = observeRounds.has(name) || name === 'Validate' ? all.slice(1) : all;
      expect(catchers.at(-1)?.ErrorEquals, name).toEqual(['States.ALL']);
      if (!afterError.has(name)) {
        expect(new Set(catchers.map((c) => c.Next)), name).toEqual(new Set(['TearDownAfterError']));
        expect(new Set(catchers.map((c) => c.ResultPath)), name).toEqual(new Set(['$.error']));
      }
    }
    expect(MACHINE.States.TearDownAfterError?.Next).toBe('VerdictAfterError');
    expect(MACHINE.States.VerdictAfterError?.Next).toBe('LabFailed');
    expect(MACHINE.States.LabFailed).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('retries Validate for a minute while the lab settles (instances still stopping after a deploy)', () => {
    const retries = (MACHINE.States.Validate as unknown as { Retry: Record<string, unknown>[] }).Retry;
    const settling = retries.find((r) => (r.ErrorEquals as string[]).includes('LabSettling'));
    expect(settling).toMatchObject({ IntervalSeconds: 10, MaxAttempts: 6, BackoffRate: 1 });
  });

  it('ends at once, without tear-down, when Validate finds another execution holding the lab', () => {
    const validate = MACHINE.States.Validate as unknown as {
      Catch: { ErrorEquals: string[]; Next: string }[];
    };
    // First: the catch-all after it would tear down the lab another execution is using.
    expect(validate.Catch[0]).toMatchObject({ ErrorEquals: ['LabBusy'], Next: 'LabFailed' });
    const others = STATES.filter(([name]) => name !== 'Validate');
    expect(
      others.flatMap(([, s]) => (s.Catch as { ErrorEquals: string[] }[] | undefined) ?? []),
    ).not.toContainEqual(expect.objectContaining({ ErrorEquals: ['LabBusy'] }));
  });

  it('waits for health in a bounded loop', () => {
    expect(MACHINE.States.HealthyYet?.Choices).toContainEqual(
      expect.objectContaining({ NumericGreaterThanEqualsPath: '$.lab.budgets.healthMaxAttempts' }),
    );
    expect(MACHINE.States.WaitBeforeHealthCheck).toMatchObject({ Type: 'Wait', Next: 'CheckHealth' });
  });

  it.each([
    ['ObserveScaleOut', 'scaleOut', 'ScaleOutSeen', 'CoolDown', 'ScaleOutNotObserved'],
    ['ObserveScaleIn', 'scaleIn', 'ScaleInSeen', 'TearDown', 'ScaleInNotObserved'],
  ])(
    '%s observes in rounds: a round that no event completes re-arms and re-checks',
    (name, result, seen, next, never) => {
      const state = MACHINE.States[name] as State & { Catch: { ErrorEquals: string[]; Next: string }[] };

      expect(state).toMatchObject({
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        TimeoutSeconds: OBSERVE_ROUND.timeoutSeconds,
        HeartbeatSeconds: OBSERVE_ROUND.heartbeatSeconds,
        ResultPath: `$.${result}`,
        Next: seen,
      });
      expect(state.Catch[0]).toMatchObject({
        ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'],
        Next: name,
      });
      expect(MACHINE.States[seen]).toMatchObject({
        Type: 'Choice',
        Choices: [{ Variable: `$.${result}.held`, BooleanEquals: true, Next: next }],
        Default: never,
      });
      expect(MACHINE.States[never]).toMatchObject({
        Type: 'Pass',
        Parameters: { Error: 'ScalingNotObserved' },
        ResultPath: '$.error',
        Next: 'TearDownAfterError',
      });
    },
  );

  it('cools down until the stress ends', () => {
    expect(MACHINE.States.CoolDown).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.scaleOut.coolDownSeconds',
    });
  });
});
