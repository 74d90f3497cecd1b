/**
 * Launch templates (EC2) and the instances an Auto Scaling group launched from one, through the
 * real SDK v3 clients against the local endpoint.
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LaunchTemplate } from '../../local/ec2/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { rejection } from './harness.js';

const CREATED_BY = 'arn:aws:iam::000000000000:root';

describe('EC2 launch templates through the SDK', () => {
  let e: CloudEndpoint;
  let serve: LaunchTemplate;
  let seed: LaunchTemplate;
  beforeEach(async () => {
    e = await startCloudEndpoint();
    serve = e.cloud.ec2.createLaunchTemplate({
      launchTemplateName: 'serve-template',
      app: 'serve',
      instanceType: 't3.micro',
      tags: { lab: 'scalelab' },
    });
    seed = e.cloud.ec2.createLaunchTemplate({
      launchTemplateName: 'seed-template',
      app: 'seed',
      instanceType: 't3.small',
    });
  });
  afterEach(async () => {
    await e.close();
    expect(e.errors).toEqual([]);
  });

  it('describes templates, all, by id, by name or by filter, in pages', async () => {
    const all = await e.ec2.send(new DescribeLaunchTemplatesCommand({}));
    const byId = await e.ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [serve.launchTemplateId] }),
    );
    const byName = await e.ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['seed-template'] }),
    );
    const filtered = await e.ec2.send(
      new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:lab', Values: ['scale*'] }] }),
    );
    const first = await e.ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: 1 }));
    const second = await e.ec2.send(
      new DescribeLaunchTemplatesCommand({ MaxResults: 1, NextToken: first.NextToken }),
    );

    expect(all.LaunchTemplates?.map((t) => t.LaunchTemplateName)).toEqual([
      'serve-template',
      'seed-template',
    ]);
    expect(byId.LaunchTemplates).toEqual([
      {
        LaunchTemplateId: serve.launchTemplateId,
        LaunchTemplateName: 'serve-template',
        CreateTime: new Date(serve.createTime),
        CreatedBy: CREATED_BY,
        DefaultVersionNumber: 1,
        LatestVersionNumber: 1,
        Tags: [{ Key: 'lab', Value: 'scalelab' }],
      },
    ]);
    expect(byName.LaunchTemplates?.map((t) => t.LaunchTemplateId)).toEqual([seed.launchTemplateId]);
    expect(filtered.LaunchTemplates?.map((t) => t.LaunchTemplateName)).toEqual(['serve-template']);
    expect(first.LaunchTemplates?.map((t) => t.LaunchTemplateName)).toEqual(['serve-template']);
    expect(second.LaunchTemplates?.map((t) => t.LaunchTemplateName)).toEqual(['seed-template']);
    expect(second.NextToken).toBeUndefined();
  });

  it("describes a template's one version with the instance type it launches", async () => {
    const byName = await e.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'serve-template' }),
    );
    const latest = await e.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: seed.launchTemplateId,
        Versions: ['$Latest'],
      }),
    );
    const defaults = await e.ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Default'] }));

    expect(byName.LaunchTemplateVersions).toEqual([
      {
        LaunchTemplateId: serve.launchTemplateId,
        LaunchTemplateName: 'serve-template',
        VersionNumber: 1,
        CreateTime: new Date(serve.createTime),
        CreatedBy: CREATED_BY,
        DefaultVersion: true,
        LaunchTemplateData: { InstanceType: 't3.micro' },
      },
    ]);
    expect(latest.LaunchTemplateVersions?.map((v) => v.LaunchTemplateData?.InstanceType)).toEqual([
      't3.small',
    ]);
    expect(defaults.LaunchTemplateVersions?.map((v) => v.LaunchTemplateName)).toEqual([
      'serve-template',
      'seed-template',
    ]);
  });

  it("refuses unknown and malformed templates and versions with EC2's codes", async () => {
    const unknownName = await rejection(
      e.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['serve-template', 'ghost'] })),
    );
    const unknownId = await rejection(
      e.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0123456789abcdef0'] })),
    );
    const malformed = await rejection(
      e.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-nope' })),
    );
    const version = await rejection(
      e.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'serve-template', Versions: ['2'] }),
      ),
    );
    const both = await rejection(
      e.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: serve.launchTemplateId,
          LaunchTemplateName: 'serve-template',
        }),
      ),
    );

    expect(unknownName.name).toBe('InvalidLaunchTemplateName.NotFoundException');
    expect(unknownName.$metadata?.httpStatusCode).toBe(400);
    expect(unknownId.name).toBe('InvalidLaunchTemplateId.NotFound');
    expect(malformed.name).toBe('InvalidLaunchTemplateId.Malformed');
    expect(version.name).toBe('InvalidLaunchTemplateId.VersionNotFound');
    expect(both.name).toBe('InvalidParameterCombination');
  });
  it("refuses a group from an unknown template or version with Auto Scaling's ValidationError", () => {
    const create = (launchTemplate: { launchTemplateName: string; version?: string }) => () =>
      e.cloud.autoscaling.createAutoScalingGroup({
        autoScalingGroupName: 'from-template',
        launchTemplate,
        minSize: 0,
        maxSize: 1,
      });

    expect(create({ launchTemplateName: 'ghost' })).toThrow(
      /^You must use a valid fully-formed launch template\. At least one of the launch templates/,
    );
    expect(create({ launchTemplateName: 'serve-template', version: '2' })).toThrow(
      /launch template version 2 does not exist/,
    );
    expect(e.cloud.autoscaling.describeAutoScalingGroups()).toEqual([]);
  });
});

describe('Auto Scaling instances of a group launched from a template, through the SDK', () => {
  let e: CloudEndpoint;
  let template: LaunchTemplate;
  afterEach(async () => {
    await e.close();
    expect(e.errors).toEqual([]);
  });
  beforeEach(async () => {
    e = await startCloudEndpoint();
    template = e.cloud.ec2.createLaunchTemplate({
      launchTemplateName: 'asg-template',
      app: 'serve',
      instanceType: 't3.micro',
    });
    e.cloud.autoscaling.createAutoScalingGroup({
      autoScalingGroupName: 'asg',
      launchTemplate: { launchTemplateName: 'asg-template', version: '$Latest' },
      minSize: 0,
      maxSize: 2,
      desiredCapacity: 2,
    });
  });

  const spec = () => ({
    LaunchTemplateId: template.launchTemplateId,
    LaunchTemplateName: 'asg-template',
    Version: '$Latest',
  });

  /** Both launches, as DescribeAutoScalingInstances lists them once the group has made them. */
  async function bothInstances() {
    return waitFor(
      async () => {
        const out = await e.autoScaling.send(new DescribeAutoScalingInstancesCommand({}));
        return out.AutoScalingInstances?.length === 2 ? out.AutoScalingInstances : undefined;
      },
      { what: 'two instances in the group', timeoutMs: 20_000 },
    );
  }

  it('shows the template on the group and its instances, each with its type and health in capitals', async () => {
    const instances = await bothInstances();
    const group = await e.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['asg'] }),
    );

    expect(group.AutoScalingGroups?.[0]?.LaunchTemplate).toEqual(spec());
    for (const instance of instances) {
      expect(instance).toEqual({
        InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
        InstanceType: 't3.micro',
        AutoScalingGroupName: 'asg',
        AvailabilityZone: 'us-east-1a',
        LifecycleState: expect.stringMatching(/^(Pending|InService)$/),
        HealthStatus: 'HEALTHY',
        LaunchTemplate: spec(),
        ProtectedFromScaleIn: false,
      });
    }
    expect(e.cloud.ec2.describeInstances(instances.map((i) => i.InstanceId ?? ''))).toEqual([
      expect.objectContaining({ app: 'serve', instanceType: 't3.micro' }),
      expect.objectContaining({ app: 'serve', instanceType: 't3.micro' }),
    ]);
  });

  it('picks instances by id, ignoring unknown ones, and pages with MaxRecords and NextToken', async () => {
    const [a, b] = await bothInstances();
    const picked = await e.autoScaling.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [b?.InstanceId ?? '', 'i-0123456789abcdef0'] }),
    );
    const first = await e.autoScaling.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 1 }));
    const second = await e.autoScaling.send(
      new DescribeAutoScalingInstancesCommand({ MaxRecords: 1, NextToken: first.NextToken }),
    );

    expect(picked.AutoScalingInstances?.map((i) => i.InstanceId)).toEqual([b?.InstanceId]);
    expect(first.AutoScalingInstances?.map((i) => i.InstanceId)).toEqual([a?.InstanceId]);
    expect(second.AutoScalingInstances?.map((i) => i.InstanceId)).toEqual([b?.InstanceId]);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses MaxRecords over 50 and a token it did not give', async () => {
    const tooMany = await rejection(
      e.autoScaling.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 51 })),
    );
    const token = await rejection(
      e.autoScaling.send(new DescribeAutoScalingInstancesCommand({ NextToken: 'not-a-token' })),
    );

    expect(tooMany.name).toBe('ValidationError');
    expect(tooMany.message).toMatch(/less than or equal to 50/);
    expect(token.name).toBe('InvalidNextToken');
  });
});
