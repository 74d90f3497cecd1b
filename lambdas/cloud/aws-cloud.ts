/**
 * The `aws` adapter of the {@link Cloud} port: AWS SDK v3 clients, configured from the
 * environment (aws-env.ts). Throttling and 5xx answers become {@link TransientCloudError} so the
 * workflow's Retry can name them; closed tasks are an outcome, not an error, because the
 * scaling-event handler is idempotent and may complete a token twice.
 */

import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeInstancesCommand,
  EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { CLOSED_TASK_ERROR_NAMES, NO_ACTIVE_LIFECYCLE_ACTION } from '../../lab/aws-facts.js';
import { LAB_EVENT_SOURCE } from '../../lab/events.js';
import { CloudMisconfigured, TransientCloudError } from '../../lab/workflow-errors.js';
import { call, errorName, rethrow } from './aws-call.js';
import { type AwsCloudEnv, readAwsCloudEnv } from './aws-env.js';
import { AwsInstanceMoments, isInstanceMomentsItem } from './aws-instance-moments.js';
import { AwsLabGuard, LAB_GUARD_KEY } from './aws-lab-guard.js';
import type {
  ArmedObserver,
  Cloud,
  CompleteLifecycleActionInput,
  ExecutionInfo,
  GroupSize,
  GroupState,
  InstanceMoment,
  InstanceState,
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
} from './cloud.js';
import { groupStateOf } from './group-state.js';
import { section1Tags } from './lab-tags.js';

/** The SDK clients the adapter uses; tests and callers may pass their own. */
export interface AwsClients {
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  cloudWatch: CloudWatchClient;
  sfn: SFNClient;
  eventBridge: EventBridgeClient;
  dynamo: DynamoDBClient;
}

/**
 * The adapter's time: real time on Lambda; the local cloud's simulated clock when the adapter
 * runs against the local endpoint, whose services answer in simulated time (a metric window
 * reckoned in real time would miss every datapoint at any time scale above 1).
 */
export interface AdapterTime {
  now(): number;
  sleep(seconds: number): Promise<void>;
}

export const REAL_TIME: AdapterTime = {
  now: () => Date.now(),
  sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
};

/** Armed observers expire from the table a day after arming (no lab runs that long). */
export const OBSERVER_TTL_SECONDS = 24 * 3600;
/** PutEvents takes at most 10 entries per call. */
const PUT_EVENTS_BATCH = 10;
async function taskResponse(operation: string, send: () => Promise<unknown>): Promise<TaskResponseOutcome> {
  try {
    await send();
    return 'sent';
  } catch (error) {
    if (CLOSED_TASK_ERROR_NAMES.has(errorName(error))) return 'task-closed';
    rethrow(operation, error);
  }
}

function observerItem(observer: ArmedObserver): Record<string, AttributeValue> {
  return {
    observerId: { S: observer.observerId },
    executionId: { S: observer.executionId },
    expectation: { S: observer.expectation },
    token: { S: observer.token },
    armedAt: { N: String(observer.armedAt) },
    since: { N: String(observer.since) },
    target: { N: String(observer.target) },
    coolDownUntil: { N: String(observer.coolDownUntil) },
    healthPollSeconds: { N: String(observer.healthPollSeconds) },
    expiresAt: { N: String(Math.floor(observer.armedAt / 1000) + OBSERVER_TTL_SECONDS) },
  };
}

function observerFromItem(item: Record<string, AttributeValue>): ArmedObserver {
  const s = (key: string): string => item[key]?.S ?? '';
  const n = (key: string): number => Number(item[key]?.N ?? 0);
  const expectation = s('expectation');
  if (expectation !== 'scale-out' && expectation !== 'scale-in') {
    throw new CloudMisconfigured(`observer ${s('observerId')} has an unknown expectation ${expectation}`);
  }
  return {
    observerId: s('observerId'),
    executionId: s('executionId'),
    expectation,
    token: s('token'),
    armedAt: n('armedAt'),
    since: n('since'),
    target: n('target'),
    coolDownUntil: n('coolDownUntil'),
    healthPollSeconds: n('healthPollSeconds'),
  };
}

/**
 * States of an instance that is, or can again be, part of the lab. A replaced instance is
 * shutting down or terminated: it must not be started, stopped or waited for.
 */
const LIVE_INSTANCE_STATES: readonly InstanceState[] = ['pending', 'running', 'stopping', 'stopped'];

/** The SDK's EC2 state names are the port's; anything unexpected is reported as pending. */
function instanceState(name: string | undefined): InstanceState {
  const known: InstanceState[] = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'];
  return known.find((state) => state === name) ?? 'pending';
}

/** A {@link Cloud} backed by AWS. */
export class AwsCloud implements Cloud {
  private readonly guard: AwsLabGuard;
  private readonly moments: AwsInstanceMoments;

  constructor(
    private readonly env: AwsCloudEnv,
    private readonly clients: AwsClients = awsClients(),
    private readonly time: AdapterTime = REAL_TIME,
  ) {
    this.guard = new AwsLabGuard(clients.dynamo, clients.sfn, env.observerTableName);
    this.moments = new AwsInstanceMoments(clients.dynamo, env.observerTableName);
  }

  now(): number {
    return this.time.now();
  }

  sleep(seconds: number): Promise<void> {
    return this.time.sleep(seconds);
  }

  async startSection1Instances(): Promise<Section1Instance[]> {
    const instances = await this.findSection1Instances();
    if (instances.length === 0) {
      const tags = Object.entries(section1Tags(this.env.labStackName)).map(
        ([key, value]) => `${key}=${value}`,
      );
      throw new CloudMisconfigured(
        `no section-1 instance is tagged ${tags.join(', ')}: is the stack ${this.env.labStackName} deployed?`,
      );
    }
    const out = await call('StartInstances', () =>
      this.clients.ec2.send(new StartInstancesCommand({ InstanceIds: instances.map((i) => i.instanceId) })),
    );
    return (out.StartingInstances ?? []).map((change) => ({
      instanceId: change.InstanceId ?? '',
      state: instanceState(change.CurrentState?.Name),
    }));
  }

  async stopSection1Instances(): Promise<void> {
    const ids = (await this.findSection1Instances())
      .filter((instance) => instance.state === 'pending' || instance.state === 'running')
      .map((instance) => instance.instanceId);
    if (ids.length === 0) return;
    await call('StopInstances', () => this.clients.ec2.send(new StopInstancesCommand({ InstanceIds: ids })));
  }

  describeSection1Instances(): Promise<Section1Instance[]> {
    return this.findSection1Instances();
  }

  /**
   * The lab's section-1 instances as they are now, found by their tags (lab-tags.ts), all pages:
   * the ids the operator was deployed with may belong to instances a redeploy replaced since.
   */
  private async findSection1Instances(): Promise<Section1Instance[]> {
    const filters = [
      ...Object.entries(section1Tags(this.env.labStackName)).map(([key, value]) => ({
        Name: `tag:${key}`,
        Values: [value],
      })),
      { Name: 'instance-state-name', Values: [...LIVE_INSTANCE_STATES] },
    ];
    const instances: Section1Instance[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const out = await call('DescribeInstances', () =>
        this.clients.ec2.send(
          new DescribeInstancesCommand({ Filters: filters, ...(token ? { NextToken: token } : {}) }),
        ),
      );
      for (const reservation of out.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          const stateReason = instance.StateReason?.Message;
          instances.push({
            instanceId: instance.InstanceId ?? '',
            state: instanceState(instance.State?.Name),
            ...(stateReason && { stateReason }),
          });
        }
      }
      nextToken = out.NextToken;
    } while (nextToken);
    // The filter leaves replaced instances out already; an instance terminating since must stay out.
    return instances.filter((instance) => LIVE_INSTANCE_STATES.includes(instance.state));
  }

  async updateGroupSize(size: GroupSize): Promise<void> {
    await call('UpdateAutoScalingGroup', () =>
      this.clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: this.env.autoScalingGroupName,
          MinSize: size.minSize,
          MaxSize: size.maxSize,
          DesiredCapacity: size.desiredCapacity,
        }),
      ),
    );
  }

  async describeGroup(): Promise<GroupState> {
    const name = this.env.autoScalingGroupName;
    const out = await call('DescribeAutoScalingGroups', () =>
      this.clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })),
    );
    const group = out.AutoScalingGroups?.[0];
    if (!group) throw new CloudMisconfigured(`Auto Scaling group ${name} does not exist`);
    return groupStateOf(name, group);
  }

  async describeTargetHealth(name: LoadBalancerName): Promise<TargetHealth[]> {
    const arn = name === 'web' ? this.env.webTargetGroupArn : this.env.scalingTargetGroupArn;
    const out = await call('DescribeTargetHealth', () =>
      this.clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
    );
    return (out.TargetHealthDescriptions ?? []).map((description) => ({
      targetId: description.Target?.Id ?? '',
      port: description.Target?.Port ?? 0,
      state: description.TargetHealth?.State ?? 'unavailable',
      ...(description.TargetHealth?.Reason ? { reason: description.TargetHealth.Reason } : {}),
    }));
  }

  async loadBalancerUrl(name: LoadBalancerName): Promise<string> {
    return name === 'web' ? this.env.webLoadBalancerUrl : this.env.scalingLoadBalancerUrl;
  }

  async getGroupCpu(): Promise<number | undefined> {
    const end = new Date(this.now());
    const out = await call('GetMetricStatistics', () =>
      this.clients.cloudWatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/EC2',
          MetricName: 'CPUUtilization',
          Dimensions: [{ Name: 'AutoScalingGroupName', Value: this.env.autoScalingGroupName }],
          StartTime: new Date(end.getTime() - 5 * 60_000),
          EndTime: end,
          Period: 60,
          Statistics: ['Average'],
        }),
      ),
    );
    const latest = [...(out.Datapoints ?? [])].sort(
      (a, b) => (b.Timestamp?.getTime() ?? 0) - (a.Timestamp?.getTime() ?? 0),
    )[0];
    return latest?.Average;
  }

  async putEvents(events: LabEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      const batch = events.slice(start, start + PUT_EVENTS_BATCH);
      const out = await call('PutEvents', () =>
        this.clients.eventBridge.send(
          new PutEventsCommand({
            Entries: batch.map((event) => ({
              Source: LAB_EVENT_SOURCE,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
              EventBusName: this.env.eventBusName,
            })),
          }),
        ),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const first = out.Entries?.find((entry) => entry.ErrorCode);
        throw new TransientCloudError(
          `PutEvents failed for ${out.FailedEntryCount} entries: ${first?.ErrorCode ?? '?'} ${first?.ErrorMessage ?? ''}`,
        );
      }
    }
  }

  sendTaskSuccess(token: string, output: unknown): Promise<TaskResponseOutcome> {
    return taskResponse('SendTaskSuccess', () =>
      this.clients.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })),
    );
  }

  sendTaskFailure(token: string, error: string, cause: string): Promise<TaskResponseOutcome> {
    return taskResponse('SendTaskFailure', () =>
      this.clients.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause })),
    );
  }

  sendTaskHeartbeat(token: string): Promise<TaskResponseOutcome> {
    return taskResponse('SendTaskHeartbeat', () =>
      this.clients.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })),
    );
  }

  async armObserver(observer: ArmedObserver): Promise<{ rearmed: boolean }> {
    const out = await call('PutItem', () =>
      this.clients.dynamo.send(
        new PutItemCommand({
          TableName: this.env.observerTableName,
          Item: observerItem(observer),
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return { rearmed: out.Attributes !== undefined };
  }

  async getArmedObservers(): Promise<ArmedObserver[]> {
    const observers: ArmedObserver[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await call('Scan', () =>
        this.clients.dynamo.send(
          new ScanCommand({
            TableName: this.env.observerTableName,
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      // The lab's claim and the instances' moments share the table; they are no observers.
      const items = (out.Items ?? []).filter(
        (item) => item.observerId?.S !== LAB_GUARD_KEY && !isInstanceMomentsItem(item),
      );
      observers.push(...items.map(observerFromItem));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return observers;
  }

  async disarm({ observerId, token }: ObserverRef): Promise<void> {
    try {
      await this.clients.dynamo.send(
        new DeleteItemCommand({
          TableName: this.env.observerTableName,
          Key: { observerId: { S: observerId } },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      );
    } catch (error) {
      // Re-armed with a newer token since (or already gone): that observer is not ours to remove.
      if (errorName(error) === 'ConditionalCheckFailedException') return;
      rethrow('DeleteItem', error);
    }
  }

  claimLab(holder: LabHolder): Promise<LabClaim> {
    return this.guard.claim(holder);
  }

  takeOverLab(stale: LabHolder, holder: LabHolder): Promise<boolean> {
    return this.guard.takeOver(stale, holder);
  }

  labHolder(): Promise<LabHolder | undefined> {
    return this.guard.holder();
  }

  releaseLab(executionId: string): Promise<boolean> {
    return this.guard.release(executionId);
  }

  executionStatus(executionId: string): Promise<ExecutionInfo> {
    return this.guard.executionStatus(executionId);
  }

  async completeLifecycleAction(input: CompleteLifecycleActionInput): Promise<LifecycleActionOutcome> {
    try {
      await this.clients.autoScaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: input.groupName,
          LifecycleHookName: input.hookName,
          LifecycleActionResult: input.result,
          ...(input.token ? { LifecycleActionToken: input.token } : {}),
          ...(input.instanceId ? { InstanceId: input.instanceId } : {}),
        }),
      );
      return 'completed';
    } catch (error) {
      if (
        errorName(error) === 'ValidationError' &&
        NO_ACTIVE_LIFECYCLE_ACTION.test((error as Error).message)
      ) {
        return 'not-waiting';
      }
      rethrow('CompleteLifecycleAction', error);
    }
  }

  recordInstanceMoment(instanceId: string, moment: InstanceMoment, at: number): Promise<void> {
    return this.moments.record(instanceId, moment, at);
  }

  getInstanceTimelines(): Promise<InstanceTimeline[]> {
    return this.moments.timelines();
  }
}

/** What every SDK client is built with; empty on Lambda, where the environment says it all. */
export interface AwsClientConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** One SDK v3 client per service the adapter calls, all with `config`. */
export function awsClients(config: AwsClientConfig = {}): AwsClients {
  return {
    autoScaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    elb: new ElasticLoadBalancingV2Client(config),
    cloudWatch: new CloudWatchClient(config),
    sfn: new SFNClient(config),
    eventBridge: new EventBridgeClient(config),
    dynamo: new DynamoDBClient(config),
  };
}

/** The adapter a Lambda function uses: settings from the environment, default SDK clients. */
export function awsCloudFromEnv(env: NodeJS.ProcessEnv = process.env): AwsCloud {
  return new AwsCloud(readAwsCloudEnv(env));
}
