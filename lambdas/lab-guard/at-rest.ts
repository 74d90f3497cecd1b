/**
 * What of the lab is still up: the section-1 instances not stopped and the group's instances not
 * terminated. Tear-down waits until this is empty; Validate refuses to start unless it is.
 */
import { LabNotAtRest, LabSettling } from '../../lab/workflow-errors.js';
import type { Cloud, GroupState, Section1Instance } from '../cloud/cloud.js';

/** Each instance still up, as `<id> (<state>)` or `<id> (<lifecycle state> in <group>)`. */
function upOf(section1: readonly Section1Instance[], group: GroupState): string[] {
  return [
    ...section1
      .filter((i) => i.state !== 'stopped' && i.state !== 'terminated')
      .map((i) => `${i.instanceId} (${i.state})`),
    ...group.instances
      .filter((i) => i.lifecycleState !== 'Terminated')
      .map((i) => `${i.instanceId} (${i.lifecycleState} in ${group.name})`),
  ];
}

/** Each instance of the lab still up (one look at section 1 and one at the group). */
export async function runningInstances(cloud: Cloud): Promise<string[]> {
  const [section1, group] = await Promise.all([cloud.describeSection1Instances(), cloud.describeGroup()]);
  return upOf(section1, group);
}

/**
 * Throws {@link LabNotAtRest} listing what runs when the lab is not at rest (nothing running, the
 * group at zero): a lab that starts with instances up could count them as its own scaling. Only
 * section-1 instances still stopping (on their way to rest) give {@link LabSettling}, retried.
 */
export async function assertLabAtRest(cloud: Cloud, previousHolder?: string): Promise<void> {
  const [section1, group] = await Promise.all([cloud.describeSection1Instances(), cloud.describeGroup()]);
  const running = upOf(section1, group);
  if (running.length === 0 && group.desiredCapacity === 0) return;
  const stopping = section1.filter((i) => i.state === 'stopping');
  if (group.desiredCapacity === 0 && running.length === stopping.length) {
    throw new LabSettling(
      `section-1 instances still stopping: ${stopping.map((i) => i.instanceId).join(', ')}; Validate is retried until they have stopped`,
    );
  }
  const left = previousHolder
    ? `left by execution ${previousHolder}, which ended without its tear-down`
    : 'not started by this execution';
  const what =
    running.length > 0 ? running.join(', ') : `${group.name} at desired capacity ${group.desiredCapacity}`;
  throw new LabNotAtRest(
    `the lab is not at rest (${left}): ${what}; the workflow tears it down now, start the execution again afterwards`,
  );
}
