import {
  CLOSED_TASK_ERROR_NAMES,
  NO_ACTIVE_LIFECYCLE_ACTION,
  TARGET_TRACKING_PERIOD_SECONDS,
} from '../lab/aws-facts.js';
import type { LabConfig } from '../lab/config.js';
import { LAB_EVENT_SOURCE } from '../lab/events.js';
import type {
  ArmedObserver,
  Cloud,
  CompleteLifecycleActionInput,
  ExecutionInfo,
  ExecutionStatus,
  GroupSize,
  GroupState,
  InstanceMoment,
  InstanceTimeline,
  LabClaim,
  LabEvent,
  LabHolder,
  LifecycleActionOutcome,
  LoadBalancerName,
  ObserverRef,
  Section1Instance,
  TargetHealth,
  TaskResponseOutcome,
} from '../lambdas/cloud/cloud.js';
import { groupStateOf } from '../lambdas/cloud/group-state.js';
import type { LocalAws } from '../local/local-aws.js';
import type { LocalStepFunctions } from '../local/stepfunctions/index.js';
import { InstanceMomentStore } from './instance-moment-store.js';
import { LabGuardStore } from './lab-guard-store.js';
import { ObserverStore } from './observer-store.js';
import type { LocalLab } from './resources.js';

/**
 * The workflow handlers' Cloud port, implemented with the local cloud and the local Step
 * Functions: the same handler code that runs on Lambda with the aws adapter.
 */
export class LocalCloud implements Cloud {
  private readonly observers = new ObserverStore();
  /** Who holds the lab: in memory, as the lab itself is (one process owns a state directory). */
  private readonly guard = new LabGuardStore();
  private readonly moments = new InstanceMomentStore();
  private stepFunctions: LocalStepFunctions | undefined;

  constructor(
    private readonly cloud: LocalAws,
    private readonly lab: LocalLab,
    private readonly config: LabConfig,
  ) {}

  /** The engine whose task tokens this port completes (created after the port, which its handlers need). */
  attach(stepFunctions: LocalStepFunctions): void {
    this.stepFunctions = stepFunctions;
  }

  now(): number {
    return this.cloud.clock.now();
  }

  sleep(seconds: number): Promise<void> {
    return this.cloud.clock.sleep(seconds);
  }

  async startSection1Instances(): Promise<Section1Instance[]> {
    await this.cloud.ec2.startInstances(this.lab.section1InstanceIds);
    return this.describeSection1Instances();
  }

  async stopSection1Instances(): Promise<void> {
    const stoppable = this.cloud.ec2
      .describeInstances(this.lab.section1InstanceIds)
      .filter(({ state }) => state === 'running' || state === 'pending')
      .map(({ instanceId }) => instanceId);
    if (stoppable.length > 0) await this.cloud.ec2.stopInstances(stoppable);
  }

  async describeSection1Instances(): Promise<Section1Instance[]> {
    return this.cloud.ec2
      .describeInstances(this.lab.section1InstanceIds)
      .map(({ instanceId, state, stateReason }) => ({
        instanceId,
        state,
        ...(stateReason && { stateReason }),
      }));
  }

  async updateGroupSize(size: GroupSize): Promise<void> {
    this.cloud.autoscaling.updateAutoScalingGroup({ autoScalingGroupName: this.groupName(), ...size });
  }

  async describeGroup(): Promise<GroupState> {
    const [group] = this.cloud.autoscaling.describeAutoScalingGroups([this.groupName()]);
    if (!group) throw new Error(`Auto Scaling group ${this.groupName()} does not exist`);
    return groupStateOf(this.groupName(), group);
  }

  async describeTargetHealth(name: LoadBalancerName): Promise<TargetHealth[]> {
    const group = name === 'web' ? this.lab.webTargets : this.lab.scalingTargets;
    return this.cloud.elb.describeTargetHealth(group).map(({ target, targetHealth }) => ({
      targetId: target.id,
      port: target.port,
      state: targetHealth.state,
      ...(targetHealth.reason && { reason: targetHealth.reason }),
    }));
  }

  async loadBalancerUrl(name: LoadBalancerName): Promise<string> {
    return (name === 'web' ? this.lab.web : this.lab.scaling).url;
  }

  async getGroupCpu(): Promise<number | undefined> {
    const end = this.now();
    const { Datapoints } = this.cloud.metrics.getMetricStatistics({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: { AutoScalingGroupName: this.groupName() },
      startTime: end - TARGET_TRACKING_PERIOD_SECONDS * 2000,
      endTime: end,
      period: TARGET_TRACKING_PERIOD_SECONDS,
      statistics: ['Average'],
    });
    return Datapoints.at(-1)?.Average;
  }

  async putEvents(events: LabEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.cloud.bus.putEvents(
      events.map(({ detailType, detail }) => ({
        Source: LAB_EVENT_SOURCE,
        DetailType: detailType,
        Detail: JSON.stringify(detail),
      })),
    );
  }

  sendTaskSuccess(token: string, output: unknown): Promise<TaskResponseOutcome> {
    return this.respond(() =>
      this.engine().sendTaskSuccess({ taskToken: token, output: JSON.stringify(output) }),
    );
  }

  sendTaskFailure(token: string, error: string, cause: string): Promise<TaskResponseOutcome> {
    return this.respond(() => this.engine().sendTaskFailure({ taskToken: token, error, cause }));
  }

  sendTaskHeartbeat(token: string): Promise<TaskResponseOutcome> {
    return this.respond(() => this.engine().sendTaskHeartbeat({ taskToken: token }));
  }

  async armObserver(observer: ArmedObserver): Promise<{ rearmed: boolean }> {
    return this.observers.arm(observer);
  }

  async getArmedObservers(): Promise<ArmedObserver[]> {
    return this.observers.list();
  }

  async disarm(observer: ObserverRef): Promise<void> {
    this.observers.disarm(observer);
  }

  async claimLab(holder: LabHolder): Promise<LabClaim> {
    return this.guard.claim(holder);
  }

  async takeOverLab(stale: LabHolder, holder: LabHolder): Promise<boolean> {
    return this.guard.takeOver(stale, holder);
  }

  async labHolder(): Promise<LabHolder | undefined> {
    return this.guard.current();
  }

  async releaseLab(executionId: string): Promise<boolean> {
    return this.guard.release(executionId);
  }

  async executionStatus(executionId: string): Promise<ExecutionInfo> {
    try {
      const { status, stopDate } = this.engine().describeExecution({ executionArn: executionId });
      const known = (status ?? 'missing') as ExecutionStatus;
      return stopDate ? { status: known, stopDate: stopDate.getTime() } : { status: known };
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return { status: 'missing' };
      throw error;
    }
  }

  async completeLifecycleAction(input: CompleteLifecycleActionInput): Promise<LifecycleActionOutcome> {
    try {
      this.cloud.autoscaling.completeLifecycleAction({
        autoScalingGroupName: input.groupName,
        lifecycleHookName: input.hookName,
        lifecycleActionResult: input.result,
        ...(input.token !== undefined && { lifecycleActionToken: input.token }),
        ...(input.instanceId !== undefined && { instanceId: input.instanceId }),
      });
      return 'completed';
    } catch (error) {
      const { name, message } = error as Error;
      if (name === 'ValidationError' && NO_ACTIVE_LIFECYCLE_ACTION.test(message)) return 'not-waiting';
      throw error;
    }
  }

  async recordInstanceMoment(instanceId: string, moment: InstanceMoment, at: number): Promise<void> {
    this.moments.record(instanceId, moment, at);
  }

  async getInstanceTimelines(): Promise<InstanceTimeline[]> {
    return this.moments.timelines();
  }

  /**
   * Forgets the lab's claim, the armed observers and the instance moments, as a fresh lab has
   * none (`scalelab reset`, while no execution runs); says what there was.
   */
  clearRecords(): { labHolder?: string; armedObservers: number; instanceMoments: number } {
    const holder = this.guard.current();
    const cleared = {
      ...(holder && { labHolder: holder.executionName }),
      armedObservers: this.observers.size,
      instanceMoments: this.moments.size,
    };
    this.guard.clear();
    this.observers.clear();
    this.moments.clear();
    return cleared;
  }

  private groupName(): string {
    return this.config.section2.autoScalingGroupName;
  }

  private engine(): LocalStepFunctions {
    if (!this.stepFunctions) throw new Error('LocalCloud: no Step Functions engine attached');
    return this.stepFunctions;
  }

  private async respond(call: () => unknown): Promise<TaskResponseOutcome> {
    try {
      call();
      return 'sent';
    } catch (error) {
      if (CLOSED_TASK_ERROR_NAMES.has((error as Error).name)) return 'task-closed';
      throw error;
    }
  }
}
