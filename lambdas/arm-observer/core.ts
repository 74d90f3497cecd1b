/**
 * Arm an observer (a `.waitForTaskToken` step): parks the task token with its expectation, then
 * checks the group at once, so a scaling that finished before the token was armed still
 * completes the step. The step then waits for on-scaling-event to send task success.
 */

import { InvalidHandlerInput } from '../../lab/workflow-errors.js';
import { type Expectation, observerId } from '../cloud/cloud.js';
import { readNumber, readStepInput, readString, type StepInput } from '../middy/input.js';
import { type CheckOutcome, completeIfHeld } from '../observation/observe.js';
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
  /** `completed` when the expectation already held at arming. */
  atArming: CheckOutcome;
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
  const { section2, healthCheck, instanceBootSeconds } = input.config;
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
      instanceBootSeconds +
      healthCheck.healthyThresholdCount * healthCheck.intervalSeconds +
      healthCheck.timeoutSeconds,
  };
  await cloud.armObserver(observer);
  return { observerId: observer.observerId, atArming: await completeIfHeld(cloud, observer, 'arming') };
}

/** The arm-observer step as the shared handler wraps it. */
export const armObserverStep = defineStep({ step: 'arm-observer', parse: parseArmObserverInput, run });
