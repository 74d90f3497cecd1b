/**
 * `scalelab up` serves the local AWS endpoint for its lab (issue 17): the reads a person makes to
 * watch the lab, through SDK v3 clients and the AWS CLI, against a real `up` child process.
 */
import { createServer, type Server } from 'node:net';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, stopChild } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';
import { awsCli, HAVE_AWS_CLI } from './aws-cli.js';
import { DUMMY_CREDENTIALS } from './harness.js';
import { QUICK_UP, readyOf, refusesConnections, startUp, type UpLab, type UpReady } from './up-lab.js';

const DAY_MS = 24 * 3600 * 1000;

let lab: UpLab | undefined;
let blocker: Server | undefined;
const clients: { destroy(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  if (lab) await stopChild(lab.child, 'SIGKILL');
  lab = undefined;
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = undefined;
});

function idsOf(ready: UpReady, app: string): string[] {
  return ready.instances.filter((i) => i.app === app).map(({ instanceId }) => instanceId);
}

/** SIGINT, then: exit 0, no instance process alive, the endpoint closed. */
async function expectCleanStop(up: UpLab, ready: UpReady): Promise<void> {
  up.child.kill('SIGINT');
  expect(await up.exited).toBe(0);
  for (const { pid } of ready.instances) expect(isRunning(pid)).toBe(false);
  expect(await refusesConnections(ready.awsEndpoint)).toBe(true);
}

describe('scalelab up serves the local AWS endpoint', () => {
  it('answers the lab reads through SDK v3 clients, and closes with the lab on SIGINT', async () => {
    lab = startUp(QUICK_UP);
    const ready = await readyOf(lab);
    const config = { endpoint: ready.awsEndpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
    const autoScaling = new AutoScalingClient(config);
    const ec2 = new EC2Client(config);
    const elb = new ElasticLoadBalancingV2Client(config);
    const cloudWatch = new CloudWatchClient(config);
    clients.push(autoScaling, ec2, elb, cloudWatch);
    const groupName = ready.autoScalingGroup.AutoScalingGroupName;
    const [serveId] = idsOf(ready, 'serve');

    const groups = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }),
    );
    const section1 = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:scalelab:section', Values: ['1'] }] }),
    );
    const targetGroups = await elb.send(new DescribeTargetGroupsCommand({ Names: ['scaling-targets'] }));
    const health = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: targetGroups.TargetGroups?.[0]?.TargetGroupArn }),
    );
    const activities = await autoScaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: groupName }),
    );
    const balancers = await elb.send(new DescribeLoadBalancersCommand({ Names: ['scaling'] }));
    const listeners = await elb.send(
      new DescribeListenersCommand({ LoadBalancerArn: balancers.LoadBalancers?.[0]?.LoadBalancerArn }),
    );
    const templates = await ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [`${groupName}-template`] }),
    );
    const groupInstances = await autoScaling.send(new DescribeAutoScalingInstancesCommand({}));
    const group = groups.AutoScalingGroups?.[0];
    const startTime = group?.CreatedTime ?? new Date(0);
    // CPU is sampled each simulated minute: the first group datapoint comes a second or so after ready.
    const datapoints = await waitFor(
      async () => {
        const stats = await cloudWatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/EC2',
            MetricName: 'CPUUtilization',
            Dimensions: [{ Name: 'AutoScalingGroupName', Value: groupName }],
            Statistics: ['Average'],
            Period: 60,
            StartTime: startTime,
            EndTime: new Date(startTime.getTime() + DAY_MS),
          }),
        );
        return stats.Datapoints?.length ? stats.Datapoints : undefined;
      },
      { timeoutMs: 15_000, what: 'a CPUUtilization datapoint of the group' },
    );

    expect(group?.Instances?.map(({ InstanceId, LifecycleState }) => [InstanceId, LifecycleState])).toEqual([
      [serveId, 'InService'],
    ]);
    const section1Ids = section1.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    expect(section1Ids?.sort()).toEqual(idsOf(ready, 'seed').sort());
    expect(health.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State])).toEqual([
      [serveId, 'healthy'],
    ]);
    expect(activities.Activities?.map(({ Description }) => Description)).toContain(
      `Launching a new EC2 instance: ${serveId}`,
    );
    expect(datapoints[0]).toMatchObject({ Average: expect.any(Number), Unit: 'Percent' });
    expect(listeners.Listeners?.[0]?.DefaultActions?.[0]?.TargetGroupArn).toBe(
      targetGroups.TargetGroups?.[0]?.TargetGroupArn,
    );
    const templateId = templates.LaunchTemplates?.[0]?.LaunchTemplateId;
    expect(group?.LaunchTemplate).toEqual({
      LaunchTemplateId: templateId,
      LaunchTemplateName: `${groupName}-template`,
      Version: '1',
    });
    expect(
      groupInstances.AutoScalingInstances?.map((i) => [i.InstanceId, i.AutoScalingGroupName, i.HealthStatus]),
    ).toEqual([[serveId, groupName, 'HEALTHY']]);

    await expectCleanStop(lab, ready);
  }, 45_000);

  it.skipIf(!HAVE_AWS_CLI)(
    'answers the same reads through the AWS CLI',
    async () => {
      lab = startUp(QUICK_UP);
      const ready = await readyOf(lab);
      const aws = async (...args: string[]): Promise<unknown> => {
        const result = await awsCli(ready.awsEndpoint, args);
        expect(result.stderr).toBe('');
        return JSON.parse(result.stdout);
      };
      const groupName = ready.autoScalingGroup.AutoScalingGroupName;
      const [serveId] = idsOf(ready, 'serve');

      const group = await aws(
        'autoscaling',
        'describe-auto-scaling-groups',
        '--auto-scaling-group-names',
        groupName,
        '--query',
        'AutoScalingGroups[0]',
      );
      const section1Ids = await aws(
        'ec2',
        'describe-instances',
        '--filters',
        'Name=tag:scalelab:section,Values=1',
        '--query',
        'Reservations[].Instances[].InstanceId',
      );
      const targetGroupArn = await aws(
        'elbv2',
        'describe-target-groups',
        '--names',
        'scaling-targets',
        '--query',
        'TargetGroups[0].TargetGroupArn',
      );
      const health = await aws(
        'elbv2',
        'describe-target-health',
        '--target-group-arn',
        String(targetGroupArn),
        '--query',
        'TargetHealthDescriptions[].[Target.Id,TargetHealth.State]',
      );
      const activities = await aws(
        'autoscaling',
        'describe-scaling-activities',
        '--auto-scaling-group-name',
        groupName,
        '--query',
        'Activities[].Description',
      );
      const createdTime = (group as { CreatedTime: string }).CreatedTime;
      const endTime = new Date(Date.parse(createdTime) + DAY_MS).toISOString();
      const averages = await waitFor(
        async () => {
          const values = (await aws(
            'cloudwatch',
            'get-metric-statistics',
            '--namespace',
            'AWS/EC2',
            '--metric-name',
            'CPUUtilization',
            '--dimensions',
            `Name=AutoScalingGroupName,Value=${groupName}`,
            '--statistics',
            'Average',
            '--period',
            '60',
            '--start-time',
            createdTime,
            '--end-time',
            endTime,
            '--query',
            'Datapoints[].Average',
          )) as number[];
          return values.length > 0 ? values : undefined;
        },
        { timeoutMs: 15_000, what: 'a CPUUtilization datapoint of the group through the CLI' },
      );

      expect(group).toMatchObject({ AutoScalingGroupName: groupName, Instances: [{ InstanceId: serveId }] });
      expect((section1Ids as string[]).sort()).toEqual(idsOf(ready, 'seed').sort());
      expect(health).toEqual([[serveId, 'healthy']]);
      expect(activities).toContain(`Launching a new EC2 instance: ${serveId}`);
      expect(averages[0]).toEqual(expect.any(Number));

      await expectCleanStop(lab, ready);
    },
    45_000,
  );

  it('refuses a taken --api-port before starting anything, naming it', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;

    lab = startUp(['--web-port', '0', '--scaling-port', '0', '--api-port', String(port)]);

    expect(await lab.exited).toBe(2);
    expect(lab.out.stderr.trim()).toBe(
      `scalelab up: api port 127.0.0.1:${port} is not available (EADDRINUSE); pick another with --api-port`,
    );
    expect(lab.out.stdout).toBe('');
  });
});
