/**
 * The real AWS CLI, when `aws` is on PATH, reading listeners, launch templates and Auto Scaling
 * instances from the local endpoint (the console steps the lab's README maps to CLI commands).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchTemplate } from '../../local/ec2/index.js';
import type { ListenerRef, LoadBalancerRef, TargetGroupRef } from '../../local/elb/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { awsCli, HAVE_AWS_CLI } from './aws-cli.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';

if (!HAVE_AWS_CLI)
  process.stderr.write('test/api/query-cli-reads.test.ts: skipped, the AWS CLI (`aws`) is not on PATH\n');

describe.skipIf(!HAVE_AWS_CLI)('the AWS CLI reading listeners, launch templates and group instances', () => {
  let e: CloudEndpoint;
  let balancer: LoadBalancerRef;
  let targets: TargetGroupRef;
  let listener: ListenerRef;
  let template: LaunchTemplate;
  beforeAll(async () => {
    e = await startCloudEndpoint();
    balancer = await e.cloud.elb.createLoadBalancer({ name: 'cli-lb' });
    targets = e.cloud.elb.createTargetGroup({ name: 'cli-targets', port: 5000 });
    listener = e.cloud.elb.createListener(balancer, targets);
    template = e.cloud.ec2.createLaunchTemplate({
      launchTemplateName: 'cli-template',
      app: 'serve',
      instanceType: 't3.micro',
    });
    e.cloud.autoscaling.createAutoScalingGroup({
      autoScalingGroupName: 'cli-asg',
      launchTemplate: { launchTemplateId: template.launchTemplateId, version: '1' },
      minSize: 0,
      maxSize: 2,
      desiredCapacity: 2,
    });
  });
  afterAll(async () => {
    await e.close();
  });

  async function aws(...args: string[]): Promise<unknown> {
    const result = await awsCli(e.server.url, args);
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  }

  it('describes the listener of a load balancer, and by its ARN', async () => {
    const ofBalancer = await aws('elbv2', 'describe-listeners', '--load-balancer-arn', balancer.arn);
    const byArn = await aws('elbv2', 'describe-listeners', '--listener-arns', listener.listenerArn);

    expect(ofBalancer).toEqual({
      Listeners: [
        expect.objectContaining({
          ListenerArn: listener.listenerArn,
          Port: balancer.port,
          Protocol: 'HTTP',
          DefaultActions: [expect.objectContaining({ Type: 'forward', TargetGroupArn: targets.arn })],
        }),
      ],
    });
    expect(byArn).toEqual(ofBalancer);
  });

  it('describes the launch template and its version', async () => {
    const templates = await aws(
      'ec2',
      'describe-launch-templates',
      '--launch-template-names',
      'cli-template',
    );
    const versions = await aws(
      'ec2',
      'describe-launch-template-versions',
      '--launch-template-id',
      template.launchTemplateId,
      '--versions',
      '$Latest',
    );

    expect(templates).toEqual({
      LaunchTemplates: [
        expect.objectContaining({
          LaunchTemplateId: template.launchTemplateId,
          LaunchTemplateName: 'cli-template',
          LatestVersionNumber: 1,
        }),
      ],
    });
    expect(versions).toEqual({
      LaunchTemplateVersions: [
        expect.objectContaining({ VersionNumber: 1, LaunchTemplateData: { InstanceType: 't3.micro' } }),
      ],
    });
  });

  it("lists the group's instances, following NextToken across pages of 1", async () => {
    const instances = await waitFor(
      async () => {
        const out = (await aws('autoscaling', 'describe-auto-scaling-instances', '--page-size', '1')) as {
          AutoScalingInstances: { InstanceId: string }[];
        };
        return out.AutoScalingInstances.length === 2 ? out.AutoScalingInstances : undefined;
      },
      { what: 'both launches through the CLI', timeoutMs: 30_000 },
    );

    expect(instances).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: 'cli-asg',
        InstanceType: 't3.micro',
        HealthStatus: 'HEALTHY',
        LaunchTemplate: {
          LaunchTemplateId: template.launchTemplateId,
          LaunchTemplateName: 'cli-template',
          Version: '1',
        },
      }),
      expect.objectContaining({ AutoScalingGroupName: 'cli-asg' }),
    ]);
    expect(new Set(instances.map((i) => i.InstanceId)).size).toBe(2);
  });

  it.each([
    [
      ['elbv2', 'describe-listeners'],
      'An error occurred (ValidationError) when calling the DescribeListeners operation: You must specify either listener ARNs or a load balancer ARN',
    ],
    [
      ['elbv2', 'describe-listeners', '--listener-arns', 'LISTENER0'],
      'An error occurred (ListenerNotFound) when calling the DescribeListeners operation: One or more listeners not found',
    ],
    [
      ['ec2', 'describe-launch-templates', '--launch-template-names', 'ghost'],
      'An error occurred (InvalidLaunchTemplateName.NotFoundException) when calling the DescribeLaunchTemplates operation',
    ],
  ])('exits non-zero with the AWS error code: %j', async (args, message) => {
    const result = await awsCli(
      e.server.url,
      args.map((arg) => (arg === 'LISTENER0' ? `${listener.listenerArn}0` : arg)),
    );

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});
