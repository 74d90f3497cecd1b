import type { Clock } from '../clock.js';
import type { LocalEc2 } from '../ec2/index.js';
import type { LocalElb, TargetGroupRef } from '../elb/index.js';
import type { HealthCheckType } from './group.js';

/** Deregisters the instance and waits out the target group's deregistration delay. */
export async function drainTarget(
  deps: { elb: LocalElb; clock: Clock },
  group: TargetGroupRef,
  instanceId: string,
): Promise<void> {
  deps.elb.deregisterTargets(group, [{ id: instanceId }]);
  const deadline = deps.clock.now() + (group.config.deregistrationDelaySeconds + 5) * 1000;
  while (deps.clock.now() < deadline) {
    const [health] = deps.elb.describeTargetHealth(group, [{ id: instanceId }]);
    if (health?.targetHealth.state !== 'draining') return;
    await deps.clock.sleep(1);
  }
}

/** Which health check the instance fails: EC2's (not running, or impaired), ELB's, or none. */
export function failedHealthCheck(
  deps: { ec2: LocalEc2; elb: LocalElb },
  settings: { healthCheckType: HealthCheckType; targetGroups: readonly TargetGroupRef[] },
  instanceId: string,
): 'EC2' | 'ELB' | undefined {
  const [instance] = deps.ec2.describeInstances([instanceId]);
  if (instance?.state !== 'running' || instance.status === 'impaired') return 'EC2';
  if (settings.healthCheckType !== 'ELB') return undefined;
  const unhealthy = settings.targetGroups.some((group) =>
    deps.elb
      .describeTargetHealth(group, [{ id: instanceId }])
      .some(({ targetHealth }) => targetHealth.state === 'unhealthy'),
  );
  return unhealthy ? 'ELB' : undefined;
}
