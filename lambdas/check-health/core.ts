/** Check health: one look at both target groups, for the workflow's bounded health-wait loop. */

import { readNumber, readRecord, readStepInput, type StepInput } from '../middy/input.js';
import { type GroupSnapshot, takeSnapshot } from '../observation/group-snapshot.js';
import { defineStep, type StepDeps } from '../step.js';

export interface CheckHealthInput extends StepInput {
  /** Checks made so far (0 on the first). */
  attempt: number;
}

export interface CheckHealthOutput {
  /** Checks made, this one included: the loop's counter. */
  attempt: number;
  healthy: boolean;
  section1: { healthy: number; expected: number; states: Record<string, string> };
  section2: GroupSnapshot & { expected: number };
  summary: string;
}

export function parseCheckHealthInput(event: unknown): CheckHealthInput {
  const { event: record, ...input } = readStepInput(event);
  const health = readRecord(record.health, 'health');
  return { ...input, attempt: readNumber(health, 'attempt') };
}

export async function run(
  input: CheckHealthInput,
  { cloud }: Pick<StepDeps, 'cloud'>,
): Promise<CheckHealthOutput> {
  const { section1: s1, section2: s2 } = input.config;
  const [webTargets, group] = await Promise.all([cloud.describeTargetHealth('web'), takeSnapshot(cloud)]);
  const healthy1 = webTargets.filter((t) => t.state === 'healthy').length;
  const states = Object.fromEntries(webTargets.map((t) => [t.targetId, t.state]));
  const healthy =
    healthy1 >= s1.instanceCount &&
    group.healthyInService >= s2.desiredCapacity &&
    group.present >= s2.desiredCapacity;
  const attempt = input.attempt + 1;
  // Only when section 1 falls short: an instance that could not start says why here, and this
  // summary becomes the HealthCheckTimeout's cause and the verdict's evidence.
  const why = healthy1 < s1.instanceCount ? await section1Trouble(cloud) : '';
  return {
    attempt,
    healthy,
    section1: { healthy: healthy1, expected: s1.instanceCount, states },
    section2: { ...group, expected: s2.desiredCapacity },
    summary: `check ${attempt}: section 1 ${healthy1}/${s1.instanceCount} targets healthy${why}, section 2 ${group.healthyInService}/${s2.desiredCapacity} in service and healthy`,
  };
}

/** The section-1 instances that are not running, with EC2's reason where it gives one. */
async function section1Trouble(cloud: StepDeps['cloud']): Promise<string> {
  const troubled = (await cloud.describeSection1Instances())
    .filter((instance) => instance.state !== 'running')
    .map(
      ({ instanceId, state, stateReason }) =>
        `${instanceId} ${state}${stateReason ? `: ${stateReason}` : ''}`,
    );
  return troubled.length > 0 ? ` (${troubled.join('; ')})` : '';
}

/** The check-health step as the shared handler wraps it. */
export const checkHealthStep = defineStep({
  step: 'check-health',
  parse: parseCheckHealthInput,
  run,
  holdsLab: true,
});
