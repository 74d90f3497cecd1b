/**
 * Puts the local cloud back to the state the lab starts from: what `setUpLocalLab` (or `scalelab
 * up`) leaves, whatever runs, a stopped or interrupted execution, or a person left behind. Not an
 * AWS operation: scalelab's own, for a local cloud in a bad state.
 */
import { LIFECYCLE_TRANSITIONS, NO_ACTIVE_LIFECYCLE_ACTION } from '../lab/aws-facts.js';
import type { LabConfig } from '../lab/config.js';
import type { TargetGroupRef } from '../local/elb/index.js';
import type { LocalAws } from '../local/local-aws.js';
import type { LocalCloud } from './local-cloud.js';
import type { LocalLab } from './resources.js';

/** Scaling activity status codes of an activity that has ended. */
const ENDED_ACTIVITY = new Set(['Successful', 'Failed', 'Cancelled']);

export interface LabResetTarget {
  cloud: LocalAws;
  lab: LocalLab;
  config: LabConfig;
  /**
   * Which clean state: `false`, the lab at rest as `run` and `serve` start it (section 1 stopped,
   * the group at its minimum); `true`, the lab up as `scalelab up` starts it (section 1 running,
   * the group at its desired capacity, fresh instances).
   */
  running: boolean;
  /** The handlers' records (lab claim, armed observers, instance moments), where handlers run. */
  records?: Pick<LocalCloud, 'clearRecords'>;
}

/** What a reset changed, for the person who asked for it. */
export interface LabResetReport {
  /** Instances terminated: the group's, and any the lab does not hold. */
  terminated: string[];
  /** Section-1 instances stopped (and started again when the lab runs up). */
  stopped: string[];
  started: string[];
  /** Instances whose terminate lifecycle action the reset completed (CONTINUE). */
  lifecycleActionsCompleted: string[];
  /** Targets taken out of the lab's target groups that the lab does not hold. */
  deregistered: string[];
  group: { name: string; minSize: number; maxSize: number; desiredCapacity: number };
  /** Alarms set back to INSUFFICIENT_DATA, with the state they were in. */
  alarms: { name: string; previousState: string }[];
  records: { labHolder?: string; armedObservers: number; instanceMoments: number };
  /** How long the reset took, in the local cloud's simulated seconds. */
  simulatedSeconds: number;
}

/** A reset that could not reach the clean state in time: what still was not. */
export class LabResetIncomplete extends Error {
  override name = 'LabResetIncomplete';
}

function isUp(state: string): boolean {
  return state !== 'terminated' && state !== 'shutting-down';
}

/** What still keeps the lab from its clean state at rest; empty once it is reached. */
function notYetAtRest(target: LabResetTarget): string[] {
  const { cloud, lab, config } = target;
  const groupName = config.section2.autoScalingGroupName;
  const [group] = cloud.autoscaling.describeAutoScalingGroups([groupName]);
  const section1 = new Set(lab.section1InstanceIds);
  const left = [
    ...cloud.ec2
      .describeInstances()
      .filter((i) => (section1.has(i.instanceId) ? i.state !== 'stopped' : i.state !== 'terminated'))
      .map((i) => `instance ${i.instanceId} ${i.state}`),
    ...(group?.Instances ?? []).map((i) => `${i.InstanceId} ${i.LifecycleState} in ${groupName}`),
    ...cloud.autoscaling
      .describeScalingActivities(groupName)
      .filter((a) => !ENDED_ACTIVITY.has(a.StatusCode ?? ''))
      .map((a) => `activity "${a.Description}" ${a.StatusCode}`),
  ];
  for (const targetGroup of [lab.webTargets, lab.scalingTargets]) {
    const targets = cloud.elb.describeTargetHealth(targetGroup);
    left.push(
      ...targets.map((t) => `target ${t.target.id} ${t.targetHealth.state} in ${targetGroup.config.name}`),
    );
  }
  return left;
}

/** Completes (CONTINUE) every terminate action the group's instances wait in; returns their ids. */
function completeTerminateActions(target: LabResetTarget): string[] {
  const { cloud, config } = target;
  const groupName = config.section2.autoScalingGroupName;
  const hooks = cloud.autoscaling
    .describeLifecycleHooks({ autoScalingGroupName: groupName })
    .filter((hook) => hook.LifecycleTransition === LIFECYCLE_TRANSITIONS.terminating);
  const [group] = cloud.autoscaling.describeAutoScalingGroups([groupName]);
  const waiting = (group?.Instances ?? []).filter((i) => i.LifecycleState === 'Terminating:Wait');
  for (const instance of waiting) {
    for (const hook of hooks) {
      try {
        cloud.autoscaling.completeLifecycleAction({
          autoScalingGroupName: groupName,
          lifecycleHookName: hook.LifecycleHookName ?? '',
          instanceId: instance.InstanceId ?? '',
          lifecycleActionResult: 'CONTINUE',
        });
      } catch (error) {
        // Completed meanwhile by its own handler or its timeout: nothing left to complete.
        const { name, message } = error as Error;
        if (name !== 'ValidationError' || !NO_ACTIVE_LIFECYCLE_ACTION.test(message)) throw error;
      }
    }
  }
  return waiting.map((i) => i.InstanceId ?? '');
}

/** Deregisters every target the lab does not hold right now; returns their ids. */
function deregisterStrangers(target: LabResetTarget): string[] {
  const { cloud, lab, config } = target;
  const [group] = cloud.autoscaling.describeAutoScalingGroups([config.section2.autoScalingGroupName]);
  const held: [TargetGroupRef, Set<string>][] = [
    [lab.webTargets, new Set(lab.section1InstanceIds)],
    [lab.scalingTargets, new Set((group?.Instances ?? []).map((i) => i.InstanceId ?? ''))],
  ];
  const removed: string[] = [];
  for (const [targetGroup, ids] of held) {
    const strangers = cloud.elb
      .describeTargetHealth(targetGroup)
      .filter((t) => !ids.has(t.target.id) && t.targetHealth.state !== 'draining')
      .map((t) => ({ id: t.target.id, port: t.target.port }));
    if (strangers.length === 0) continue;
    cloud.elb.deregisterTargets(targetGroup, strangers);
    removed.push(...strangers.map(({ id }) => id));
  }
  return removed;
}

/**
 * Waits, in simulated time, until `check` is empty, completing terminate actions on the way;
 * throws {@link LabResetIncomplete} with what is left at `deadline`.
 */
async function settle(
  target: LabResetTarget,
  report: LabResetReport,
  deadline: number,
  check: () => string[],
): Promise<void> {
  const { clock } = target.cloud;
  for (;;) {
    for (const id of completeTerminateActions(target))
      if (!report.lifecycleActionsCompleted.includes(id)) report.lifecycleActionsCompleted.push(id);
    report.deregistered.push(...deregisterStrangers(target));
    const left = check();
    if (left.length === 0) return;
    if (clock.now() > deadline)
      throw new LabResetIncomplete(
        `the local cloud did not reach the lab's clean state in time: ${left.join('; ')}`,
      );
    await clock.sleep(1);
  }
}

/** Stops section 1 and terminates every other instance the group does not hold. */
async function endInstances(target: LabResetTarget, report: LabResetReport): Promise<void> {
  const { cloud, lab, config } = target;
  const section1 = new Set(lab.section1InstanceIds);
  const [group] = cloud.autoscaling.describeAutoScalingGroups([config.section2.autoScalingGroupName]);
  const members = new Set((group?.Instances ?? []).map((i) => i.InstanceId ?? ''));
  const instances = cloud.ec2.describeInstances();
  const strangers = instances
    .filter((i) => !section1.has(i.instanceId) && !members.has(i.instanceId) && isUp(i.state))
    .map((i) => i.instanceId);
  const toStop = instances
    .filter((i) => section1.has(i.instanceId) && (i.state === 'running' || i.state === 'pending'))
    .map((i) => i.instanceId);
  report.terminated.push(...strangers, ...members);
  report.stopped.push(...toStop);
  await Promise.all([cloud.ec2.terminateInstances(strangers), cloud.ec2.stopInstances(toStop)]);
}

/** Resets the lab's alarms once no instance feeds the metric any more. */
function resetAlarms(target: LabResetTarget, report: LabResetReport): void {
  const { cloud, config } = target;
  for (const alarm of cloud.autoscaling.alarmsOf(config.section2.autoScalingGroupName)) {
    report.alarms.push({ name: alarm.props.alarmName, previousState: alarm.state });
    alarm.reset('Unchecked: the local cloud was reset to the lab’s starting state');
  }
}

/** What still keeps section 1 and the group from the clean state's sizes and states; empty once reached. */
function notYetStarted(target: LabResetTarget, desired: number): string[] {
  const { cloud, lab, config } = target;
  const groupName = config.section2.autoScalingGroupName;
  const [group] = cloud.autoscaling.describeAutoScalingGroups([groupName]);
  const inService = (group?.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length;
  const section1State = target.running ? 'running' : 'stopped';
  return [
    ...cloud.ec2
      .describeInstances(lab.section1InstanceIds)
      .filter((i) => i.state !== section1State)
      .map((i) => `instance ${i.instanceId} ${i.state}`),
    ...(inService < desired ? [`${inService} of ${desired} in service in ${groupName}`] : []),
  ];
}

/**
 * Resets the lab in `target.cloud` to its clean state and says what it changed. The caller makes
 * sure no execution acts on the lab meanwhile. Waits in simulated time, at most the lab's
 * tear-down bound for each half: down to nothing, then up to what the lab starts with.
 */
export async function resetLocalLab(target: LabResetTarget): Promise<LabResetReport> {
  const { cloud, config } = target;
  const { section2 } = config;
  const startedAt = cloud.clock.now();
  const bound = () => cloud.clock.now() + config.timeouts.tearDownSeconds * 1000;
  const report: LabResetReport = {
    terminated: [],
    stopped: [],
    started: [],
    lifecycleActionsCompleted: [],
    deregistered: [],
    group: {
      name: section2.autoScalingGroupName,
      minSize: section2.minSize,
      maxSize: section2.maxSize,
      desiredCapacity: target.running ? section2.desiredCapacity : section2.minSize,
    },
    alarms: [],
    records: { armedObservers: 0, instanceMoments: 0 },
    simulatedSeconds: 0,
  };
  // Every instance goes, the group's through its own scale-in (activities, hooks, draining).
  cloud.autoscaling.updateAutoScalingGroup({
    autoScalingGroupName: section2.autoScalingGroupName,
    minSize: 0,
    maxSize: section2.maxSize,
    desiredCapacity: 0,
  });
  await endInstances(target, report);
  await settle(target, report, bound(), () => notYetAtRest(target));
  resetAlarms(target, report);
  // Then what the lab starts with: fresh instances, as the set-up launched them.
  cloud.autoscaling.updateAutoScalingGroup({
    autoScalingGroupName: section2.autoScalingGroupName,
    minSize: section2.minSize,
    maxSize: section2.maxSize,
    desiredCapacity: report.group.desiredCapacity,
  });
  if (target.running) {
    await cloud.ec2.startInstances(target.lab.section1InstanceIds);
    report.started.push(...target.lab.section1InstanceIds);
  }
  await settle(target, report, bound(), () => notYetStarted(target, report.group.desiredCapacity));
  // Last: the reset's own scale-in and launches record instance moments too, which belong to no
  // execution.
  report.records = target.records?.clearRecords() ?? report.records;
  report.simulatedSeconds = Math.round((cloud.clock.now() - startedAt) / 100) / 10;
  return report;
}
