/**
 * What of the lab is still up: the section-1 instances not stopped and the group's instances not
 * terminated. Tear-down waits until this is empty; Validate refuses to start unless it is.
 */
import { LabNotAtRest } from '../../lab/workflow-errors.js';
import type { Cloud } from '../cloud/cloud.js';

/** Each instance still up, as `<id> (<state>)` or `<id> (<lifecycle state> in <group>)`. */
export async function runningInstances(cloud: Cloud): Promise<string[]> {
  const [instances, group] = await Promise.all([cloud.describeSection1Instances(), cloud.describeGroup()]);
  return [
    ...instances
      .filter((i) => i.state !== 'stopped' && i.state !== 'terminated')
      .map((i) => `${i.instanceId} (${i.state})`),
    ...group.instances
      .filter((i) => i.lifecycleState !== 'Terminated')
      .map((i) => `${i.instanceId} (${i.lifecycleState} in ${group.name})`),
  ];
}

/**
 * Throws {@link LabNotAtRest} listing what runs when the lab is not at rest (nothing running, the
 * group at zero): a lab that starts with instances up could count them as its own scaling.
 */
export async function assertLabAtRest(cloud: Cloud, previousHolder?: string): Promise<void> {
  const [running, group] = await Promise.all([runningInstances(cloud), cloud.describeGroup()]);
  if (running.length === 0 && group.desiredCapacity === 0) return;
  const left = previousHolder
    ? `left by execution ${previousHolder}, which ended without its tear-down`
    : 'not started by this execution';
  const what =
    running.length > 0 ? running.join(', ') : `${group.name} at desired capacity ${group.desiredCapacity}`;
  throw new LabNotAtRest(
    `the lab is not at rest (${left}): ${what}; the workflow tears it down now, start the execution again afterwards`,
  );
}
