/**
 * Arm an observer (one round of a `.waitForTaskToken` step): parks the task token with its
 * expectation, then checks the group at once, so a scaling that finished before the token was
 * armed still completes the step. The step then waits for on-scaling-event to send task success,
 * or times out into the next round, whose arming checks again: events are the fast path, never
 * the only one. Past the window's `observeUntilSeconds` it completes the step with `held: false`.
 */

import { computeBudgets } from '../../lab/budgets.js';
import { labTimings } from '../../lab/timings.js';
import { InvalidHandlerInput } from '../../lab/workflow-errors.js';
import { type Expectation, observerId } from '../cloud/cloud.js';
import { readNumber, readStepInput, readString, type StepInput } from '../middy/input.js';
import { type CheckOutcome, completeIfHeld, completeNotObserved } from '../observation/observe.js';
import { defineStep, type StepDeps } from '../step.js';

export interface ArmObserverInput extends StepInput {
  token: string;
  expectation: Expectation;
  /** Epoch ms the measured time counts from. */
  since: number;
  /** Epoch ms until which the workflow cools down after this observation; 0 for none. */
  coolDownUntil: number;
}

export interface ArmObserverOutput {
  observerId: string;
  /** `completed` when the expectation already held at arming; `deadline` when it never will be seen. */
  atArming: CheckOutcome | 'deadline';
  /** Whether an earlier round had armed this observer (so this check is a re-check). */
  rearmed: boolean;
}

export function parseArmObserverInput(event: unknown): ArmObserverInput {
  const { event: record, ...input } = readStepInput(event);
  const expectation = readString(record, 'expectation');
  if (expectation !== 'scale-out' && expectation !== 'scale-in') {
    throw new InvalidHandlerInput(
      `expectation must be "scale-out" or "scale-in", got ${JSON.stringify(expectation)}`,
    );
  }
  return {
    ...input,
    token: readString(record, 'token'),
    expectation,
    since: readNumber(record, 'since'),
    coolDownUntil: readNumber(record, 'coolDownUntil'),
  };
}

export async function run(
  input: ArmObserverInput,
  { cloud }: Pick<StepDeps, 'cloud'>,
): Promise<ArmObserverOutput> {
  const { section2, healthCheck } = input.config;
  const observer = {
    observerId: observerId(input.executionId, input.expectation),
    executionId: input.executionId,
    expectation: input.expectation,
    token: input.token,
    armedAt: cloud.now(),
    since: input.since,
    target: input.expectation === 'scale-out' ? section2.scaleOutTo : section2.desiredCapacity,
    coolDownUntil: input.coolDownUntil,
    // After a launch event the instance still boots and must pass health checks (no ELB event tells).
    healthPollSeconds:
      labTimings(input.config).bootUpperSeconds +
      healthCheck.healthyThresholdCount * healthCheck.intervalSeconds +
      healthCheck.timeoutSeconds,
  };
  const { rearmed } = await cloud.armObserver(observer);
  const atArming = await completeIfHeld(cloud, observer, rearmed ? 're-check' : 'arming');
  if (atArming === 'pending' && cloud.now() >= input.since + observeUntilSeconds(input) * 1000) {
    await completeNotObserved(cloud, observer);
    return { observerId: observer.observerId, atArming: 'deadline', rearmed };
  }
  return { observerId: observer.observerId, atArming, rearmed };
}

function observeUntilSeconds(input: ArmObserverInput): number {
  const budgets = computeBudgets(input.config);
  return (input.expectation === 'scale-out' ? budgets.scaleOut : budgets.scaleIn).observeUntilSeconds;
}

/** The arm-observer step as the shared handler wraps it. */
export const armObserverStep = defineStep({
  step: 'arm-observer',
  parse: parseArmObserverInput,
  run,
  holdsLab: true,
});
