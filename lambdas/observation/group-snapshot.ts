/**
 * What the group looks like right now, from Auto Scaling (lifecycle) and the scaling target
 * group (health). Observers decide from this, never from an event's content, which is what makes
 * them indifferent to duplicate and out-of-order events.
 */
import type { Cloud, Expectation, GroupState, TargetHealth } from '../cloud/cloud.js';

export interface GroupSnapshot {
  desiredCapacity: number;
  /** Instances the group still lists in any state but Terminated. */
  present: number;
  inService: number;
  /** In service and healthy in the scaling target group. */
  healthyInService: number;
  instanceIds: string[];
  /** Epoch ms (simulated locally). */
  at: number;
}

export function snapshotOf(group: GroupState, targets: TargetHealth[], at: number): GroupSnapshot {
  const healthy = new Set(targets.filter((t) => t.state === 'healthy').map((t) => t.targetId));
  const present = group.instances.filter((i) => i.lifecycleState !== 'Terminated');
  const inService = present.filter((i) => i.lifecycleState === 'InService');
  return {
    desiredCapacity: group.desiredCapacity,
    present: present.length,
    inService: inService.length,
    healthyInService: inService.filter((i) => healthy.has(i.instanceId)).length,
    instanceIds: present.map((i) => i.instanceId).sort(),
    at,
  };
}

export async function takeSnapshot(cloud: Cloud): Promise<GroupSnapshot> {
  const [group, targets] = await Promise.all([cloud.describeGroup(), cloud.describeTargetHealth('scaling')]);
  return snapshotOf(group, targets, cloud.now());
}

/**
 * Scale-out holds when at least `target` instances are in service and healthy; scale-in when
 * no more than `target` instances remain in the group (drained and terminated, not just leaving).
 */
export function expectationHolds(expectation: Expectation, target: number, snapshot: GroupSnapshot): boolean {
  return expectation === 'scale-out' ? snapshot.healthyInService >= target : snapshot.present <= target;
}
