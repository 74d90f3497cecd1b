import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { INSTANCE_TYPES } from '../../lab/aws-facts.js';
import { DEFAULT_LAB_CONFIG, parseLabConfig } from '../../lab/config.js';
import { labInstanceType } from '../../stacks/constructs/machine.js';
import { LabStack } from '../../stacks/lab-stack.js';
import { appWithoutBundling, joinText, labTemplate, logicalIdOf, resourcesOf } from './fixture.js';

type Json = Record<string, unknown>;

describe('the lab network', () => {
  it('has public subnets in two AZs and no NAT gateway', () => {
    const { template } = labTemplate();
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    const subnets = resourcesOf(template, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(2);
    for (const [, props] of subnets) expect(props.MapPublicIpOnLaunch).toBe(true);
    const zones = subnets.map(([, props]) => JSON.stringify(props.AvailabilityZone));
    expect(new Set(zones).size).toBe(2);
  });
});

describe('each section load balancer', () => {
  it('listens on 80 and forwards to its own target group on port 5000 with health check /', () => {
    const { stack, template } = labTemplate();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 2);
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
    });
    for (const section of [stack.web, stack.scaling]) {
      const targetGroup = logicalIdOf(section.loadBalancer.targetGroup);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: { Ref: logicalIdOf(section.loadBalancer.loadBalancer) },
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroup } }],
      });
      const properties = template.toJSON().Resources[targetGroup].Properties;
      expect(properties.TargetGroupAttributes).toContainEqual({
        Key: 'deregistration_delay.timeout_seconds',
        Value: '30',
      });
      expect(properties).toMatchObject({
        Port: 5000,
        Protocol: 'HTTP',
        TargetType: 'instance',
        HealthCheckPath: '/',
        HealthCheckPort: '5000',
        HealthCheckIntervalSeconds: DEFAULT_LAB_CONFIG.healthCheck.intervalSeconds,
        HealthCheckTimeoutSeconds: DEFAULT_LAB_CONFIG.healthCheck.timeoutSeconds,
        HealthyThresholdCount: DEFAULT_LAB_CONFIG.healthCheck.healthyThresholdCount,
        UnhealthyThresholdCount: DEFAULT_LAB_CONFIG.healthCheck.unhealthyThresholdCount,
        Matcher: { HttpCode: '200' },
      });
    }
  });
});

describe('section 1', () => {
  it('runs two small burstable Amazon Linux 2023 instances, one per AZ, registered on port 5000', () => {
    const { stack, template } = labTemplate();
    const instances = resourcesOf(template, 'AWS::EC2::Instance');
    expect(instances).toHaveLength(2);
    for (const [, props] of instances) {
      expect(props.InstanceType).toBe('t3.micro');
      expect(props.Monitoring).toBe(true);
      expect(JSON.stringify(props.ImageId)).toMatch(/al2023/i);
    }
    const subnets = instances.map(([, props]) => {
      const [networkInterface] = props.NetworkInterfaces as Array<{
        SubnetId: unknown;
        AssociatePublicIpAddress: boolean;
      }>;
      expect(networkInterface?.AssociatePublicIpAddress).toBe(true);
      return JSON.stringify(networkInterface?.SubnetId);
    });
    expect(new Set(subnets).size).toBe(2);
    const targets = template.toJSON().Resources[logicalIdOf(stack.web.loadBalancer.targetGroup)].Properties
      .Targets as Array<{ Id: unknown; Port: number }>;
    expect(targets.map((target) => target.Port)).toEqual([5000, 5000]);
    expect(targets.map((target) => target.Id)).toEqual(
      stack.web.instances.map((instance) => ({ Ref: logicalIdOf(instance) })),
    );
  });

  it('waits for each instance to signal that its app answers, then stops the instances', () => {
    const { stack, template } = labTemplate();
    for (const instance of stack.web.instances) {
      template.hasResource('AWS::EC2::Instance', {
        CreationPolicy: { ResourceSignal: { Timeout: 'PT15M' } },
        Properties: Match.objectLike({ InstanceType: 't3.micro' }),
      });
      expect(template.toJSON().Resources[logicalIdOf(instance)].CreationPolicy).toBeDefined();
    }
    const [stop] = resourcesOf(template, 'Custom::AWS');
    const ids = stack.web.instances.map((instance) => `\${${logicalIdOf(instance)}}`);
    for (const phase of ['Create', 'Update']) {
      expect(JSON.parse(joinText(stop?.[1][phase]))).toMatchObject({
        service: 'EC2',
        action: 'stopInstances',
        parameters: { InstanceIds: ids },
      });
    }
  });

  it('follows the configured instance type, with the Amazon Linux 2023 image of its architecture', () => {
    const { stack, template } = labTemplate({ instanceType: 't4g.micro' });
    const instances = resourcesOf(template, 'AWS::EC2::Instance');
    const { LaunchTemplateData: scaling } = template.toJSON().Resources[
      logicalIdOf(stack.scaling.launchTemplate)
    ].Properties as { LaunchTemplateData: { InstanceType: string; ImageId: unknown } };

    expect(instances.map(([, props]) => props.InstanceType)).toEqual(['t4g.micro', 't4g.micro']);
    expect(scaling.InstanceType).toBe('t4g.micro');
    for (const image of [...instances.map(([, props]) => props.ImageId), scaling.ImageId])
      expect(JSON.stringify(image)).toMatch(/al2023.*arm64/i);
    for (const [, props] of resourcesOf(labTemplate().template, 'AWS::EC2::Instance'))
      expect(JSON.stringify(props.ImageId)).toMatch(/al2023.*x86_?64/i);
  });

  it("agrees with the CDK on every allowed type's architecture (lab/aws-facts.ts)", () => {
    for (const [name, { architecture }] of Object.entries(INSTANCE_TYPES))
      expect(new ec2.InstanceType(name).architecture, name).toBe(architecture);
  });

  it('tags its instances, and only them, as the section 1 of this lab stack', () => {
    const { stack, template } = labTemplate();
    const tagged = Object.entries(template.toJSON().Resources as Record<string, { Properties: Json }>)
      .filter(([, resource]) =>
        ((resource.Properties?.Tags as Array<{ Key: string; Value: string }> | undefined) ?? []).some(
          (tag) => tag.Key === 'scalelab:section',
        ),
      )
      .map(([id]) => id);
    expect(tagged.sort()).toEqual(stack.web.instances.map((instance) => logicalIdOf(instance)).sort());
    for (const instance of stack.web.instances) {
      expect(template.toJSON().Resources[logicalIdOf(instance)].Properties.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'scalelab:stack', Value: stack.stackName },
          { Key: 'scalelab:section', Value: '1' },
        ]),
      );
    }
  });

  it('follows the configured instance count', () => {
    const { template } = labTemplate({ section1: { instanceCount: 3, requestCount: 30 } });
    template.resourceCountIs('AWS::EC2::Instance', 3);
  });
});

describe('the instance type', () => {
  /** The instance type and the AMI's SSM parameter of every instance and launch template. */
  function machines(instanceType: string): Array<{ type: unknown; ami: unknown }> {
    const stack = new LabStack(appWithoutBundling(), 'Lab', { config: parseLabConfig({ instanceType }) });
    const template = Template.fromStack(stack);
    const parameters = template.toJSON().Parameters as Record<string, { Default?: string }>;
    const ami = (imageId: unknown): unknown => parameters[(imageId as { Ref: string }).Ref]?.Default;
    return [
      ...resourcesOf(template, 'AWS::EC2::Instance').map(([, props]) => ({
        type: props.InstanceType,
        ami: ami(props.ImageId),
      })),
      ...resourcesOf(template, 'AWS::EC2::LaunchTemplate')
        .map(([, props]) => props.LaunchTemplateData as Record<string, unknown>)
        .filter((data) => data.ImageId !== undefined)
        .map((data) => ({ type: data.InstanceType, ami: ami(data.ImageId) })),
    ];
  }

  it('picks Amazon Linux 2023 for its CPU: x86_64 by default, arm64 for Graviton', () => {
    const x86 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64';
    const arm = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64';
    expect(machines('t3.micro')).toEqual(Array(3).fill({ type: 't3.micro', ami: x86 }));
    expect(machines('t4g.micro')).toEqual(Array(3).fill({ type: 't4g.micro', ami: arm }));
  });

  it('is refused, named, when its CPU cannot be told from it', () => {
    expect(() => labInstanceType('t3micro')).toThrow(
      'instance type "t3micro" is not an EC2 instance type such as t3.micro (x86_64) or t4g.micro (arm64)',
    );
  });
});

describe('section 2', () => {
  it('sizes the group min 0 / max 3, leaves desired unset (idle at 0), checks health by ELB', () => {
    const { stack, template } = labTemplate();
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      AutoScalingGroupName: 'scalelab-serve',
      MinSize: '0',
      MaxSize: '3',
      DesiredCapacity: Match.absent(),
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
      DefaultInstanceWarmup: 300,
      Cooldown: '300',
      TargetGroupARNs: [{ Ref: logicalIdOf(stack.scaling.loadBalancer.targetGroup) }],
      LaunchTemplate: Match.objectLike({
        LaunchTemplateId: { Ref: logicalIdOf(stack.scaling.launchTemplate) },
      }),
    });
    // The seed's desired 1 is what the workflow's provision step sets (lambdas/provision).
    expect(DEFAULT_LAB_CONFIG.section2.desiredCapacity).toBe(1);
  });

  it('tracks 50 % average CPU with the configured warm-up', () => {
    const { template } = labTemplate();
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      EstimatedInstanceWarmup: 300,
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
        TargetValue: 50,
      },
    });
  });

  it('launches burstable instances with detailed monitoring and a public address', () => {
    const { stack, template } = labTemplate();
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 't3.micro',
        Monitoring: { Enabled: true },
        NetworkInterfaces: [Match.objectLike({ AssociatePublicIpAddress: true, DeviceIndex: 0 })],
      }),
    });
    expect(logicalIdOf(stack.scaling.launchTemplate)).toMatch(/LaunchTemplate/);
  });

  it('is built from the lab configuration', () => {
    const { template } = labTemplate({
      section2: { maxSize: 5, targetCpuPercent: 70, instanceWarmupSeconds: 120, scaleOutTo: 2 },
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MaxSize: '5',
      DefaultInstanceWarmup: 120,
    });
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      EstimatedInstanceWarmup: 120,
      TargetTrackingConfiguration: Match.objectLike({ TargetValue: 70 }),
    });
  });
});
