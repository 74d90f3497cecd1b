/** Start stress: one POST through load balancer "scaling" starts bounded CPU stress on an instance. */

import { stressRequest } from '../../lab/stress.js';
import { StressNotStarted } from '../../lab/workflow-errors.js';
import { readStepInput, type StepInput } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';

export interface StartStressOutput {
  /** Epoch ms (simulated locally) just before the POST: the scale-out budget counts from here. */
  startedAt: number;
  /** When the stress ends: the scale-in budget counts from here. */
  endsAt: number;
  seconds: number;
  /** The instance that took the stress (X-Instance-Id). */
  instanceId: string;
}

export function parseStartStressInput(event: unknown): StepInput {
  const { event: _event, ...input } = readStepInput(event);
  return input;
}

export async function run(
  input: StepInput,
  { cloud, fetch: fetchImpl }: StepDeps,
): Promise<StartStressOutput> {
  const { timeouts } = input.config;
  const stress = stressRequest(input.config);
  const url = `${await cloud.loadBalancerUrl('scaling')}/`;
  const startedAt = cloud.now();
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stress),
    signal: AbortSignal.timeout(timeouts.httpRequestMs),
  });
  const body = await response.text();
  if (response.status !== 202) {
    throw new StressNotStarted(
      `POST ${JSON.stringify(stress)} through load balancer "scaling" answered ${response.status}: ${body.slice(0, 200)}`,
    );
  }
  return {
    startedAt,
    endsAt: startedAt + stress.seconds * 1000,
    seconds: stress.seconds,
    instanceId: response.headers.get('x-instance-id') ?? '',
  };
}

/** The start-stress step as the shared handler wraps it. */
export const startStressStep = defineStep({
  step: 'start-stress',
  parse: parseStartStressInput,
  run,
  holdsLab: true,
});
