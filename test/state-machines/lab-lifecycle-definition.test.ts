import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_OBSERVE_HEARTBEATS, WORKFLOW_OBSERVE_TIMEOUTS } from '../../lab/budgets.js';
import { workflowErrorNames } from '../../lab/workflow-errors.js';
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

  it('catches every error of every step and leads it to tear-down, then to a Fail with the original error', () => {
    const afterError = new Set(['TearDownAfterError', 'VerdictAfterError']);
    for (const [name, state] of STATES.filter(([, s]) => s.Type === 'Task')) {
      const catchers = state.Catch as { ErrorEquals: string[]; Next: string; ResultPath: string }[];
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

  it("waits for health in a bounded loop and observes scaling within the default budgets' upper bounds", () => {
    expect(MACHINE.States.HealthyYet?.Choices).toContainEqual(
      expect.objectContaining({ NumericGreaterThanEqualsPath: '$.lab.budgets.healthMaxAttempts' }),
    );
    expect(MACHINE.States.WaitBeforeHealthCheck).toMatchObject({ Type: 'Wait', Next: 'CheckHealth' });
    expect(MACHINE.States.ObserveScaleOut).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSeconds: WORKFLOW_OBSERVE_TIMEOUTS.scaleOutSeconds,
      HeartbeatSeconds: WORKFLOW_OBSERVE_HEARTBEATS.scaleOutSeconds,
    });
    expect(MACHINE.States.ObserveScaleIn).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSeconds: WORKFLOW_OBSERVE_TIMEOUTS.scaleInSeconds,
      HeartbeatSeconds: WORKFLOW_OBSERVE_HEARTBEATS.scaleInSeconds,
    });
    expect(MACHINE.States.CoolDown).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.scaleOut.coolDownSeconds',
    });
  });
});
