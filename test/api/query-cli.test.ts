/** The real AWS CLI against the query route of the local endpoint, when `aws` is on PATH. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetGroupRef } from '../../local/elb/index.js';
import { awsCli, HAVE_AWS_CLI } from './aws-cli.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';

if (!HAVE_AWS_CLI)
  process.stderr.write('test/api/query-cli.test.ts: skipped, the AWS CLI (`aws`) is not on PATH\n');

describe.skipIf(!HAVE_AWS_CLI)(
  'the AWS CLI against EC2, Auto Scaling and ELBv2 on the local endpoint',
  () => {
    let e: CloudEndpoint;
    let instanceIds: string[];
    let group: TargetGroupRef;
    beforeAll(async () => {
      e = await startCloudEndpoint();
      const launched = await e.cloud.ec2.runInstances({
        app: 'serve',
        instanceType: 't3.micro',
        stopped: true,
        count: 7,
        tags: { 'scalelab:section': '1' },
      });
      instanceIds = launched.map((instance) => instance.instanceId);
      e.cloud.autoscaling.createAutoScalingGroup({
        autoScalingGroupName: 'cli-asg',
        app: 'serve',
        instanceType: 't3.micro',
        minSize: 0,
        maxSize: 2,
        desiredCapacity: 0,
      });
      group = e.cloud.elb.createTargetGroup({ name: 'cli-targets', port: 5000 });
      e.cloud.elb.registerTargets(group, [{ id: 'i-0000000000000000a', ip: '127.0.0.250' }]);
    });
    afterAll(async () => {
      await e.close();
    });

    it('describes instances by tag filter, following NextToken across pages of 5', async () => {
      const result = await awsCli(e.server.url, [
        'ec2',
        'describe-instances',
        '--filters',
        'Name=tag:scalelab:section,Values=1',
        'Name=instance-state-name,Values=stopped',
        '--page-size',
        '5',
      ]);

      expect(result.stderr).toBe('');
      const out = JSON.parse(result.stdout) as {
        Reservations: { Instances: { InstanceId: string; State: { Name: string } }[] }[];
      };
      const instances = out.Reservations.flatMap((r) => r.Instances);
      expect(instances.map((i) => i.InstanceId).sort()).toEqual([...instanceIds].sort());
      expect(instances.every((i) => i.State.Name === 'stopped')).toBe(true);
    });

    it('describes Auto Scaling groups', async () => {
      const result = await awsCli(e.server.url, ['autoscaling', 'describe-auto-scaling-groups']);

      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({
        AutoScalingGroups: [{ AutoScalingGroupName: 'cli-asg', MinSize: 0, MaxSize: 2, Instances: [] }],
      });
    });

    it('describes target health', async () => {
      const result = await awsCli(e.server.url, [
        'elbv2',
        'describe-target-health',
        '--target-group-arn',
        group.arn,
      ]);

      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({
        TargetHealthDescriptions: [
          { Target: { Id: 'i-0000000000000000a', Port: 5000 }, HealthCheckPort: '5000' },
        ],
      });
    });

    it.each([
      [
        ['ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0'],
        "An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist",
      ],
      [
        ['autoscaling', 'update-auto-scaling-group', '--auto-scaling-group-name', 'ghost', '--max-size', '1'],
        'An error occurred (ValidationError) when calling the UpdateAutoScalingGroup operation: AutoScalingGroup name not found',
      ],
      [
        [
          'elbv2',
          'describe-target-health',
          '--target-group-arn',
          'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/ghost/0123456789abcdef',
        ],
        'An error occurred (TargetGroupNotFound) when calling the DescribeTargetHealth operation: One or more target groups not found',
      ],
    ])('exits non-zero with the AWS error code: %j', async (args, message) => {
      const result = await awsCli(e.server.url, args);

      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(message);
    });
  },
);
