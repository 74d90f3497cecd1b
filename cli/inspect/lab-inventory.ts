/**
 * What the lab's cloud holds, read through the AWS APIs: the scaling group and its instances, the
 * section-1 instances (by the lab stack's tags), each target group's health, and the group's
 * target-tracking alarms. The same calls read the local cloud through `scalelab serve`'s or `up`'s
 * endpoint and a deployed lab on AWS.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../../lambdas/cloud/aws-cloud.js';
import { LAB_STACK_TAG, SECTION_TAG } from '../../lambdas/cloud/lab-tags.js';

export interface InventoryInstance {
  instanceId: string;
  /** `1` for section 1, `2` for the scaling group's. */
  section: '1' | '2';
  state: string;
  /** The group's lifecycle state, for section 2. */
  lifecycleState?: string;
  privateIpAddress?: string;
  instanceType?: string;
  launchTime?: string;
}

export interface InventoryTargetGroup {
  name: string;
  targets: { id: string; state: string; reason?: string }[];
}

export interface InventoryAlarm {
  name: string;
  state: string;
  threshold?: number;
  comparison?: string;
}

export interface LabInventory {
  group?: { name: string; desired: number; min: number; max: number };
  instances: InventoryInstance[];
  targetGroups: InventoryTargetGroup[];
  alarms: InventoryAlarm[];
}

type Clients = Pick<AwsClients, 'autoScaling' | 'ec2' | 'elb' | 'cloudWatch'>;

async function describeInstances(
  clients: Clients,
  which: { Filters?: { Name: string; Values: string[] }[]; InstanceIds?: string[] },
) {
  const found = [];
  let NextToken: string | undefined;
  do {
    const page = await clients.ec2.send(new DescribeInstancesCommand({ ...which, NextToken }));
    found.push(...(page.Reservations ?? []).flatMap(({ Instances }) => Instances ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

async function targetGroups(clients: Clients): Promise<InventoryTargetGroup[]> {
  const { TargetGroups = [] } = await clients.elb.send(new DescribeTargetGroupsCommand({}));
  return Promise.all(
    TargetGroups.map(async ({ TargetGroupName, TargetGroupArn }) => {
      const health = await clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn }));
      return {
        name: TargetGroupName ?? TargetGroupArn ?? '?',
        targets: (health.TargetHealthDescriptions ?? []).map(({ Target, TargetHealth }) => ({
          id: Target?.Id ?? '?',
          state: TargetHealth?.State ?? '?',
          ...(TargetHealth?.Reason ? { reason: TargetHealth.Reason } : {}),
        })),
      };
    }),
  );
}

/** Reads the lab of stack `labStackName` whose scaling group is `groupName`. */
export async function readLabInventory(
  clients: Clients,
  { groupName, labStackName }: { groupName: string; labStackName: string },
): Promise<LabInventory> {
  const groups = await clients.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }),
  );
  const group = groups.AutoScalingGroups?.[0];
  const members = new Map((group?.Instances ?? []).map((i) => [i.InstanceId ?? '', i.LifecycleState]));
  const section1 = await describeInstances(clients, {
    Filters: [
      { Name: `tag:${LAB_STACK_TAG}`, Values: [labStackName] },
      { Name: `tag:${SECTION_TAG}`, Values: ['1'] },
    ],
  });
  const section2 =
    members.size > 0 ? await describeInstances(clients, { InstanceIds: [...members.keys()] }) : [];
  const instances = [
    ...section1.map((i) => ({ i, section: '1' as const })),
    ...section2.map((i) => ({ i, section: '2' as const })),
  ].map(
    ({ i, section }): InventoryInstance => ({
      instanceId: i.InstanceId ?? '?',
      section,
      state: i.State?.Name ?? '?',
      ...(section === '2' ? { lifecycleState: members.get(i.InstanceId ?? '') } : {}),
      privateIpAddress: i.PrivateIpAddress,
      instanceType: i.InstanceType,
      launchTime: i.LaunchTime?.toISOString(),
    }),
  );
  const { MetricAlarms = [] } = await clients.cloudWatch.send(
    new DescribeAlarmsCommand({ AlarmNamePrefix: `TargetTracking-${groupName}-` }),
  );
  return {
    ...(group
      ? {
          group: {
            name: group.AutoScalingGroupName ?? groupName,
            desired: group.DesiredCapacity ?? 0,
            min: group.MinSize ?? 0,
            max: group.MaxSize ?? 0,
          },
        }
      : {}),
    instances,
    targetGroups: await targetGroups(clients),
    alarms: MetricAlarms.map((a) => ({
      name: a.AlarmName ?? '?',
      state: a.StateValue ?? '?',
      threshold: a.Threshold,
      comparison: a.ComparisonOperator,
    })),
  };
}
