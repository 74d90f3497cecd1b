import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { INSTANCE_APP_USER, INSTANCE_NODE_PACKAGE } from '../../stacks/constructs/instance-app.js';
import { LabStack } from '../../stacks/lab-stack.js';
import { addScalelabStacks } from '../../stacks/scalelab-app.js';
import {
  allUserData,
  appWithoutBundling,
  joinText,
  labTemplate,
  logicalIdOf,
  resourcesOf,
  userDataText,
} from './fixture.js';

type Json = Record<string, unknown>;

interface IngressRule {
  groupId: unknown;
  fromPort: number;
  toPort: number;
  cidr?: string;
  sourceGroup?: unknown;
}

/** Every ingress rule of a template: inline on groups and standalone SecurityGroupIngress resources. */
function ingressRules(template: Template): IngressRule[] {
  const rules: IngressRule[] = [];
  const read = (groupId: unknown, rule: Json): void => {
    rules.push({
      groupId,
      fromPort: Number(rule.FromPort),
      toPort: Number(rule.ToPort),
      ...(rule.CidrIp || rule.CidrIpv6 ? { cidr: String(rule.CidrIp ?? rule.CidrIpv6) } : {}),
      ...(rule.SourceSecurityGroupId ? { sourceGroup: rule.SourceSecurityGroupId } : {}),
    });
  };
  for (const [id, props] of resourcesOf(template, 'AWS::EC2::SecurityGroup')) {
    for (const rule of (props.SecurityGroupIngress as Json[] | undefined) ?? [])
      read({ 'Fn::GetAtt': [id, 'GroupId'] }, rule);
  }
  for (const [, props] of resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')) read(props.GroupId, props);
  return rules;
}

describe('security groups', () => {
  it('never open the app port 5000 to the internet', () => {
    const { template } = labTemplate();
    const onAppPort = ingressRules(template).filter((rule) => rule.fromPort <= 5000 && rule.toPort >= 5000);
    expect(onAppPort.length).toBeGreaterThan(0);
    for (const rule of onAppPort) {
      expect(rule.cidr).toBeUndefined();
      expect(rule.sourceGroup).toBeDefined();
    }
  });

  it("let instances take port 5000 from their own section's load balancer group only", () => {
    const { stack, template } = labTemplate();
    const rules = ingressRules(template);
    for (const section of [stack.web, stack.scaling]) {
      const instanceGroup = {
        'Fn::GetAtt': [logicalIdOf(section.loadBalancer.instanceSecurityGroup), 'GroupId'],
      };
      const albGroupId = logicalIdOf(section.loadBalancer.loadBalancer.connections.securityGroups[0]!);
      const toInstances = rules.filter(
        (rule) => JSON.stringify(rule.groupId) === JSON.stringify(instanceGroup),
      );
      expect(toInstances).toEqual([
        {
          groupId: instanceGroup,
          fromPort: 5000,
          toPort: 5000,
          sourceGroup: { 'Fn::GetAtt': [albGroupId, 'GroupId'] },
        },
      ]);
    }
  });

  it('open only port 80 of the load balancers to the internet', () => {
    const { template } = labTemplate();
    const open = ingressRules(template).filter((rule) => rule.cidr !== undefined);
    expect(open).toHaveLength(2);
    for (const rule of open) expect(rule).toMatchObject({ fromPort: 80, toPort: 80, cidr: '0.0.0.0/0' });
  });
});

describe('scalelab:ingressCidr', () => {
  it('makes both listeners forward only that network and the operator, answering others 403', () => {
    // Prepare
    const app = appWithoutBundling({ 'scalelab:ingressCidr': '203.0.113.7/32' });
    const { lab } = addScalelabStacks(app);
    // Act
    const template = Template.fromStack(lab);
    // Assess
    const key = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    for (const section of [lab.web, lab.scaling]) {
      const listener = logicalIdOf(section.loadBalancer.listener);
      const forward = [
        { Type: 'forward', TargetGroupArn: { Ref: logicalIdOf(section.loadBalancer.targetGroup) } },
      ];
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: { Ref: logicalIdOf(section.loadBalancer.loadBalancer) },
        DefaultActions: [
          Match.objectLike({
            Type: 'fixed-response',
            FixedResponseConfig: Match.objectLike({ StatusCode: '403' }),
          }),
        ],
      });
      const rules = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
        .map(([, props]) => props)
        .filter((props) => JSON.stringify(props.ListenerArn) === JSON.stringify({ Ref: listener }));
      expect(rules.map(({ Priority, Conditions, Actions }) => ({ Priority, Conditions, Actions }))).toEqual([
        {
          Priority: 10,
          Conditions: [{ Field: 'source-ip', SourceIpConfig: { Values: ['203.0.113.7/32'] } }],
          Actions: forward,
        },
        {
          Priority: 20,
          Conditions: [
            {
              Field: 'http-header',
              HttpHeaderConfig: { HttpHeaderName: 'x-scalelab-operator', Values: [key] },
            },
          ],
          Actions: forward,
        },
      ]);
    }
    // The security groups stay as they are: Lambda reaches the listeners from its own addresses.
    expect(ingressRules(template).filter((rule) => rule.cidr !== undefined)).toHaveLength(2);
    expect(() => app.synth()).not.toThrow();
  });

  it('leaves the listeners forwarding everyone when unset, as in the seed lab', () => {
    const { template } = labTemplate();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::Listener', {
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
  });

  it.each([
    ['203.0.113.7', 'is not an IPv4 CIDR such as 203.0.113.7/32; one address is 203.0.113.7/32'],
    ['my-office', 'is not an IPv4 CIDR such as 203.0.113.7/32'],
    ['203.0.113.300/32', 'is not an IPv4 CIDR: each number is 0-255 and the prefix length 0-32'],
    ['203.0.113.7/33', 'is not an IPv4 CIDR: each number is 0-255 and the prefix length 0-32'],
    ['203.0.113.7/24', 'has host bits set: the network is 203.0.113.0/24'],
  ])('refuses %s, naming it', (value, why) => {
    const app = appWithoutBundling({ 'scalelab:ingressCidr': value });
    expect(() => addScalelabStacks(app)).toThrow(`context scalelab:ingressCidr "${value}" ${why}`);
  });
});

describe('instances', () => {
  it('require IMDSv2 and boot from encrypted volumes, section 1 and section 2 alike', () => {
    const { template } = labTemplate();
    const templates = resourcesOf(template, 'AWS::EC2::LaunchTemplate');
    // One per section-1 instance (how the CDK enforces IMDSv2 on an Instance) and section 2's.
    expect(templates).toHaveLength(3);
    for (const [, props] of templates) {
      const data = props.LaunchTemplateData as Json;
      expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required' });
    }
    for (const [, props] of resourcesOf(template, 'AWS::EC2::Instance')) {
      expect(props.LaunchTemplate).toBeDefined();
      expect(props.BlockDeviceMappings).toEqual([
        {
          DeviceName: '/dev/xvda',
          Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: 8, VolumeType: 'gp3' },
        },
      ]);
    }
  });

  it('get launch templates named uniquely per stack, or unnamed', () => {
    const names = (stackName: string): string[] => {
      const stack = new LabStack(appWithoutBundling(), stackName, { config: parseLabConfig({}) });
      return resourcesOf(Template.fromStack(stack), 'AWS::EC2::LaunchTemplate')
        .map(([, props]) => props.LaunchTemplateName)
        .filter((name): name is string => name !== undefined);
    };
    const [lab, other] = [names('Lab'), names('OtherLab')];
    // The IMDSv2 templates of the two section-1 instances (@aws-cdk/aws-ec2:uniqueImdsv2TemplateName).
    expect(lab).toHaveLength(2);
    for (const name of lab) expect(name).toMatch(/^LabWebInstance\dLaunchTemplate[0-9A-F]{8}$/);
    expect(new Set(lab).size).toBe(lab.length);
    // Same construct ids in another stack of the same account and region: no collision.
    expect(other.filter((name) => lab.includes(name))).toEqual([]);
  });

  it("may read their app bundle and, in section 2, complete their group's launch action: nothing else", () => {
    const { template } = labTemplate();
    const roles = resourcesOf(template, 'AWS::IAM::Role').filter(([, props]) =>
      JSON.stringify(props.AssumeRolePolicyDocument).includes('ec2.amazonaws.com'),
    );
    expect(roles).toHaveLength(2);
    for (const [, props] of roles) expect(props.ManagedPolicyArns).toBeUndefined();
    const statementsOf = (role: RegExp) =>
      resourcesOf(template, 'AWS::IAM::Policy')
        .filter(([, props]) => JSON.stringify(props.Roles).match(role))
        .flatMap(([, props]) => (props.PolicyDocument as { Statement: Json[] }).Statement);
    const web = statementsOf(/WebInstanceRole/);
    const scaling = statementsOf(/ScalingInstanceRole/);
    for (const statement of [...web, ...scaling.slice(0, 1)]) {
      expect(statement.Action).toBe('s3:GetObject');
      expect(JSON.stringify(statement.Resource)).toMatch(/assets-.*\/[0-9a-f]{64}\.zip/);
    }
    expect(web).toHaveLength(1);
    expect(scaling).toHaveLength(2);
    expect(scaling[1]?.Action).toBe('autoscaling:CompleteLifecycleAction');
    expect(joinText(scaling[1]?.Resource)).toBe(
      `arn:\${AWS::Partition}:autoscaling:\${AWS::Region}:\${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/scalelab-serve`,
    );
  });
});

describe('user data', () => {
  it('holds no git clone, token, password or secret', () => {
    const { template } = labTemplate();
    const scripts = allUserData(template);
    expect(scripts).toHaveLength(3);
    for (const script of scripts) {
      expect(script).not.toMatch(/git\s+clone/i);
      expect(script).not.toMatch(/token/i);
      expect(script).not.toMatch(/passw/i);
      expect(script).not.toMatch(/secret/i);
      expect(script).not.toMatch(/gh[pousr]_[A-Za-z0-9]|github_pat_|AKIA[0-9A-Z]{16}/);
    }
  });

  it('installs Node.js from the distribution and runs the app from its S3 asset as a non-root service', () => {
    const { template } = labTemplate();
    for (const script of allUserData(template)) {
      expect(script).toContain(`dnf install -y ${INSTANCE_NODE_PACKAGE}`);
      expect(script).toMatch(/aws s3 cp 's3:\/\/<ref>\/[0-9a-f]{64}\.zip'/);
      expect(script).toContain(
        `useradd --system --no-create-home --shell /sbin/nologin ${INSTANCE_APP_USER}`,
      );
      expect(script).toContain(`User=${INSTANCE_APP_USER}`);
      expect(script).toMatch(
        /ExecStart=\/usr\/bin\/node-22 \/opt\/scalelab\/app\/main\.js app (seed|serve) --host 0\.0\.0\.0 --port 5000 --imds/,
      );
      expect(script).toContain('systemctl enable --now');
    }
    const apps = allUserData(template).map((script) => /main\.js app (\w+)/.exec(script)?.[1]);
    expect(apps.sort()).toEqual(['seed', 'seed', 'serve']);
  });

  it('makes section-1 instances signal CloudFormation once the app answers', () => {
    const { stack, template } = labTemplate();
    for (const instance of stack.web.instances) {
      const script = userDataText(template.toJSON().Resources[logicalIdOf(instance)].Properties.UserData);
      expect(script).toContain(
        `/opt/aws/bin/cfn-signal --stack ${stack.stackName} --resource ${logicalIdOf(instance)}`,
      );
      expect(script).toMatch(/curl -sf -o \/dev\/null http:\/\/127\.0\.0\.1:5000\/ && exit 0/);
    }
  });
});
