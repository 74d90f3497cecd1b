/**
 * Verdict: PASS only when every expectation held, each with its measured value and its budget.
 * Runs on the success path and, after tear-down, on the failure path, where the state holds only
 * what the lab got to; what it never reached counts as not held.
 */

import { type BudgetWindow, computeBudgets } from '../../lab/budgets.js';
import { type LabConfig, labConfigIfValid } from '../../lab/config.js';
import { humanDuration, humanWindow } from '../../lab/durations.js';
import { VERDICT_EVENT_TYPE } from '../../lab/events.js';
import { isRecord, type JsonRecord, readRecord, readString } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';
import { failedLaunches, type VerdictTimelines, verdictTimelines } from './timeline.js';

export interface ExpectationResult {
  name: string;
  held: boolean;
  /** What was measured, for the verdict table; null when the lab never got there. */
  measured: string | null;
  budget: string;
}

export interface VerdictInput {
  executionId: string;
  executionName: string;
  /** The execution's configuration; undefined when validate refused it. */
  config: LabConfig | undefined;
  state: JsonRecord;
}

export interface VerdictOutput {
  verdict: 'PASS' | 'FAIL';
  reason: string;
  expectations: ExpectationResult[];
  /** Each instance's life, launch to termination (timeline.ts). */
  timelines: VerdictTimelines;
  error?: { Error: string; Cause: string };
}

export function parseVerdictInput(event: unknown): VerdictInput {
  const record = readRecord(event, 'event');
  const state = readRecord(record.state, 'state');
  return {
    executionId: readString(record, 'executionId'),
    executionName: readString(record, 'executionName'),
    config: labConfigIfValid(state.lab),
    state,
  };
}

function part(state: JsonRecord, name: string): JsonRecord | undefined {
  const value = state[name];
  return isRecord(value) ? value : undefined;
}

/** Where a measured moment falls against its window, in words for the verdict table. */
function timing(elapsed: number, window: BudgetWindow): { held: boolean; note: string } {
  if (elapsed < window.lowerSeconds) return { held: false, note: ': earlier than the lower bound' };
  if (elapsed > window.upperSeconds)
    return { held: false, note: ': happened, but later than the upper bound' };
  return { held: true, note: '' };
}

function within(name: string, window: BudgetWindow, observed: JsonRecord | undefined): ExpectationResult {
  const budget = `${humanWindow(window.lowerSeconds, window.upperSeconds)} after the ${window.from.replace('-', ' ')}`;
  const elapsed = observed?.elapsedSeconds;
  if (typeof elapsed !== 'number') return { name, held: false, measured: null, budget };
  const group = `${String(observed?.inService)} in service, ${String(observed?.healthyInService)} healthy`;
  if (observed?.held === false) {
    return {
      name,
      held: false,
      measured: `never seen within ${humanDuration(elapsed)} (at the end: ${group})`,
      budget,
    };
  }
  const { held, note } = timing(elapsed, window);
  return { name, held, measured: `${humanDuration(elapsed)}${note} (${group})`, budget };
}

/** "10, 10": the counts of a per-instance record, in instance order (the ids are in summary.json). */
function perInstance(counts: unknown): string {
  return isRecord(counts) ? Object.values(counts).map(String).join(', ') : String(counts);
}

/** The health step's last summary without its own "check N:" prefix (the count is said already). */
function lastCheck(summary: unknown): string {
  return String(summary ?? 'none').replace(/^check \d+: /, '');
}

function loadBalancing(config: LabConfig, lb: JsonRecord | undefined): ExpectationResult[] {
  const { instanceCount, spreadTolerance, seedValue, requestCount } = config.section1;
  const seed = isRecord(lb?.seedCheck) ? lb.seedCheck : undefined;
  return [
    {
      name: 'section 1: GETs reach every instance round robin',
      held: lb?.spreadHeld === true,
      measured: lb ? `${perInstance(lb.requestsPerInstance)} GETs per instance` : null,
      budget: `${instanceCount} instances, each within ±${spreadTolerance * 100} % of ${requestCount / instanceCount}`,
    },
    {
      name: 'section 1: POST {"num": N} then GET returns N',
      held: seed?.held === true,
      measured: seed ? `${perInstance(seed.postsPerInstance)} POSTs per instance` : null,
      budget: `every GET returns ${seedValue}`,
    },
  ];
}

function expectationsOf(config: LabConfig, state: JsonRecord): ExpectationResult[] {
  const budgets = computeBudgets(config);
  const health = part(state, 'health');
  const tearDown = part(state, 'tearDown');
  const tearDownError = part(state, 'tearDownError');
  const attempts = typeof health?.attempt === 'number' ? health.attempt : 0;
  return [
    ...loadBalancing(config, part(state, 'loadBalancing')),
    {
      name: 'every target became healthy',
      held: health?.healthy === true,
      measured: health ? `${attempts} checks; the last: ${lastCheck(health.summary)}` : null,
      budget: `≤ ${budgets.healthMaxAttempts} checks (${budgets.healthySeconds} s)`,
    },
    within(
      `scale-out to ≥ ${config.section2.scaleOutTo} in service and healthy`,
      budgets.scaleOut,
      part(state, 'scaleOut'),
    ),
    within(`scale-in back to ≤ ${config.section2.desiredCapacity}`, budgets.scaleIn, part(state, 'scaleIn')),
    {
      name: 'tear-down left nothing behind',
      held: tearDown?.clean === true && !tearDownError,
      measured: tearDown
        ? `${tearDown.clean === true ? 'clean' : 'NOT clean'} after ${typeof tearDown.seconds === 'number' ? Math.round(tearDown.seconds) : String(tearDown.seconds)} s`
        : tearDownError
          ? String(tearDownError.Cause)
          : null,
      budget: `≤ ${config.timeouts.tearDownSeconds} s`,
    },
  ];
}

function errorOf(state: JsonRecord): VerdictOutput['error'] {
  const error = part(state, 'error');
  if (!error) return undefined;
  return { Error: String(error.Error ?? 'States.Runtime'), Cause: String(error.Cause ?? '') };
}

export async function run(
  input: VerdictInput,
  { cloud, deployedConfig }: Pick<StepDeps, 'cloud' | 'deployedConfig'>,
): Promise<VerdictOutput> {
  // After a refused input, the budgets are the deployed lab's.
  const expectations = expectationsOf(input.config ?? deployedConfig, input.state);
  const error = errorOf(input.state);
  const failed = expectations.filter((e) => !e.held).map((e) => e.name);
  const verdict = failed.length === 0 && !error ? 'PASS' : 'FAIL';
  const stressStartedAt = part(input.state, 'stress')?.startedAt;
  const provisionStartedAt = part(input.state, 'provision')?.startedAt;
  const timelines = verdictTimelines(
    await cloud.getInstanceTimelines(),
    typeof stressStartedAt === 'number' ? stressStartedAt : undefined,
    typeof provisionStartedAt === 'number' ? provisionStartedAt : undefined,
  );
  // A failed launch is why a scale-out (or the health wait) did not hold: it belongs in the reason.
  const launches = verdict === 'PASS' ? undefined : failedLaunches(timelines);
  const reason =
    verdict === 'PASS'
      ? `all ${expectations.length} expectations held`
      : [
          error ? `the lab stopped on ${error.Error}` : '',
          failed.length ? `not held: ${failed.join('; ')}` : '',
          launches ?? '',
        ]
          .filter(Boolean)
          .join('; ');
  const output: VerdictOutput = { verdict, reason, expectations, timelines, ...(error ? { error } : {}) };
  await cloud.putEvents([
    {
      detailType: VERDICT_EVENT_TYPE,
      detail: { executionId: input.executionId, executionName: input.executionName, ...output },
    },
  ]);
  return output;
}

/** The verdict step as the shared handler wraps it. */
export const verdictStep = defineStep({ step: 'verdict', parse: parseVerdictInput, run });
