import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AWS_ENV } from '../../lambdas/cloud/aws-env.js';
import {
  EXECUTION_END_HANDLER,
  executionEndPattern,
  HANDLERS,
  SCALING_EVENT_HANDLER,
  SCALING_EVENT_PATTERN,
  scalingEventPattern,
} from '../../lambdas/index.js';
import { DEPLOYED_CONFIG_ENV } from '../../lambdas/middy/deployed-config.js';
import { OPERATOR_KEY_ENV } from '../../lambdas/middy/operator-fetch.js';
import { definitionPlaceholders } from '../../stacks/constructs/lab-workflow.js';
import { labLifecycleDefinitionPath } from '../../stacks/operator-stack.js';
import { addScalelabStacks, CONFIG_CONTEXT_KEY } from '../../stacks/scalelab-app.js';
import { appWithoutBundling, logicalIdOf, operatorTemplate, resourcesOf } from './fixture.js';

type Json = Record<string, unknown>;

const WORKFLOW_DIRS = Object.values(HANDLERS).map((entry) => entry.dir);
const ALL_DIRS = [...WORKFLOW_DIRS, SCALING_EVENT_HANDLER.dir, EXECUTION_END_HANDLER.dir];

/** What active tracing lets every function do: send its own trace data. */
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

/** Tear-down's: claim and release the lab, stop everything, wait, disarm, announce. */
const TEAR_DOWN_ACTIONS = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:UpdateAutoScalingGroup',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Scan',
  'ec2:DescribeInstances',
  'ec2:StopInstances',
  'events:PutEvents',
  'states:DescribeExecution',
];

/** The IAM actions each handler's role must allow: exactly the aws adapter calls it makes (and X-Ray's). */
const EXPECTED_ACTIONS: Record<string, string[]> = {
  validate: [
    'autoscaling:DescribeAutoScalingGroups',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'ec2:DescribeInstances',
    'events:PutEvents',
    'states:DescribeExecution',
  ],
  provision: [
    'autoscaling:UpdateAutoScalingGroup',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'ec2:DescribeInstances',
    'ec2:StartInstances',
    'events:PutEvents',
    'states:DescribeExecution',
  ],
  'check-health': [
    'autoscaling:DescribeAutoScalingGroups',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'ec2:DescribeInstances',
    'elasticloadbalancing:DescribeTargetHealth',
    'events:PutEvents',
    'states:DescribeExecution',
  ],
  'verify-load-balancing': [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'events:PutEvents',
    'states:DescribeExecution',
  ],
  'start-stress': ['dynamodb:GetItem', 'dynamodb:PutItem', 'events:PutEvents', 'states:DescribeExecution'],
  'arm-observer': [
    'autoscaling:DescribeAutoScalingGroups',
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'elasticloadbalancing:DescribeTargetHealth',
    'events:PutEvents',
    'states:DescribeExecution',
    'states:SendTaskFailure',
    'states:SendTaskHeartbeat',
    'states:SendTaskSuccess',
  ],
  'tear-down': TEAR_DOWN_ACTIONS,
  // getInstanceTimelines: a Scan of the observer table for the instances' items.
  verdict: ['dynamodb:Scan', 'events:PutEvents'],
  'on-execution-end': TEAR_DOWN_ACTIONS,
  'on-scaling-event': [
    'autoscaling:CompleteLifecycleAction',
    'autoscaling:DescribeAutoScalingGroups',
    'dynamodb:DeleteItem',
    'dynamodb:Scan',
    'dynamodb:UpdateItem',
    'elasticloadbalancing:DescribeTargetHealth',
    'states:SendTaskFailure',
    'states:SendTaskHeartbeat',
    'states:SendTaskSuccess',
  ],
};

function statementsOf(template: ReturnType<typeof operatorTemplate>['template'], roleId: string): Json[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, props]) => JSON.stringify(props.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, props]) => (props.PolicyDocument as { Statement: Json[] }).Statement);
}

/** A rule's properties (the stack has the notifier's rule too). */
function ruleOf(
  stack: ReturnType<typeof operatorTemplate>['stack'],
  template: ReturnType<typeof operatorTemplate>['template'],
  which: 'scalingEventRule' | 'executionEndRule' = 'scalingEventRule',
): Json {
  const id = logicalIdOf(stack[which].rule);
  const [[, props] = ['', {}]] = resourcesOf(template, 'AWS::Events::Rule').filter(
    ([ruleId]) => ruleId === id,
  );
  return props;
}

describe('the handlers', () => {
  it('are Node.js 22 functions bundled from lambdas/<step>/handler.ts, with a log retention', () => {
    const { stack, template } = operatorTemplate();
    expect(Object.keys(stack.functions).sort()).toEqual([...ALL_DIRS].sort());
    // The handlers and the Slack notifier (slack-notifier.test.ts).
    template.resourceCountIs('AWS::Lambda::Function', ALL_DIRS.length + 1);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: Match.anyValue() },
      // Traced, so that a run's X-Ray map shows the handlers under the workflow.
      TracingConfig: { Mode: 'Active' },
    });
    template.resourceCountIs('AWS::Logs::LogGroup', ALL_DIRS.length + 2);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    for (const [dir, fn] of Object.entries(stack.functions)) {
      expect(fn.function.node.tryGetContext('aws:cdk:bundling-stacks')).toEqual([]);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `scalelab ${dir}`,
        LoggingConfig: { LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
      });
    }
  });

  it('each get every variable the aws adapter reads, pointing at the lab resources', () => {
    const { lab, stack, template } = operatorTemplate();
    const expected = [
      ...Object.values(AWS_ENV),
      DEPLOYED_CONFIG_ENV,
      OPERATOR_KEY_ENV,
      'NODE_OPTIONS',
    ].sort();
    const notifierId = logicalIdOf(stack.slackNotifier.function.function);
    const handlers = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => id !== notifierId);
    expect(handlers).toHaveLength(ALL_DIRS.length);
    for (const [, props] of handlers) {
      const variables = (props.Environment as { Variables: Json }).Variables;
      expect(Object.keys(variables).sort()).toEqual(expected);
      expect(variables).toMatchObject({
        [AWS_ENV.eventBusName]: 'default',
        [AWS_ENV.autoScalingGroupName]: 'scalelab-serve',
        [AWS_ENV.labStackName]: lab.stackName,
      });
      const text = JSON.stringify(variables);
      for (const construct of [
        lab.web.loadBalancer.targetGroup,
        lab.scaling.loadBalancer.targetGroup,
        lab.web.loadBalancer.loadBalancer,
        lab.scaling.loadBalancer.loadBalancer,
      ]) {
        expect(text).toContain(logicalIdOf(construct));
      }
      expect(text).toContain('Fn::GetStackOutput');
    }
  });

  it('each get the configuration the lab stack was built from, as -c scalelab:config gave it', () => {
    const app = appWithoutBundling({ [CONFIG_CONTEXT_KEY]: '{"section2":{"maxSize":4}}' });
    const { config, lab, operator } = addScalelabStacks(app);
    const notifierId = logicalIdOf(operator.slackNotifier.function.function);

    const handlers = resourcesOf(Template.fromStack(operator), 'AWS::Lambda::Function').filter(
      ([id]) => id !== notifierId,
    );

    expect(lab.config).toBe(config);
    expect(config.section2.maxSize).toBe(4);
    expect(handlers).toHaveLength(ALL_DIRS.length);
    for (const [, props] of handlers) {
      const variables = (props.Environment as { Variables: Json }).Variables;
      expect(JSON.parse(String(variables[DEPLOYED_CONFIG_ENV]))).toEqual(config);
    }
  });

  it('take from the lab only what a redeploy keeps: no instance id in any variable or grant', () => {
    // Prepare: every lab output the operator reads (Fn::GetStackOutput), and what it holds.
    const { lab, template } = operatorTemplate();
    const labOutputs = Template.fromStack(lab).toJSON().Outputs as Record<string, { Value: unknown }>;
    const labResources = Template.fromStack(lab).toJSON().Resources as Record<string, { Type: string }>;
    const read = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value !== null && typeof value === 'object') {
        const output = (value as Json)['Fn::GetStackOutput'] as Json | undefined;
        if (output) read.add(String(output.OutputName));
        else Object.values(value).forEach(collect);
      }
    };
    // Act
    collect(template.toJSON().Resources);
    // Assess: each output is a target group's ARN, a load balancer's DNS name or the stack's id.
    const held = [...read].map((name) => {
      const value = labOutputs[name]?.Value as Json;
      const [id, attribute] = value.Ref ? [String(value.Ref), 'Ref'] : (value['Fn::GetAtt'] as string[]);
      return id!.startsWith('AWS::') ? id : `${labResources[id!]?.Type} ${attribute}`;
    });
    expect(held.sort()).toEqual([
      'AWS::ElasticLoadBalancingV2::LoadBalancer DNSName',
      'AWS::ElasticLoadBalancingV2::LoadBalancer DNSName',
      'AWS::ElasticLoadBalancingV2::TargetGroup Ref',
      'AWS::ElasticLoadBalancingV2::TargetGroup Ref',
      // The operator's key past listeners limited by scalelab:ingressCidr: the same for the stack's life.
      'AWS::StackId',
    ]);
    const text = JSON.stringify(template.toJSON());
    for (const instance of lab.web.instances) expect(text).not.toContain(logicalIdOf(instance));
  });

  it("may start and stop only instances tagged as the lab stack's section 1, whatever their ids", () => {
    const { lab, stack, template } = operatorTemplate();
    for (const [dir, action] of [
      ['provision', 'ec2:StartInstances'],
      ['tear-down', 'ec2:StopInstances'],
    ] as const) {
      const statements = statementsOf(template, logicalIdOf(stack.functions[dir]!.function.role!));
      expect(statements.filter((s) => JSON.stringify(s.Action).includes(action))).toEqual([
        {
          Effect: 'Allow',
          Action: action,
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':ec2:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':instance/*',
              ],
            ],
          },
          Condition: {
            StringEquals: {
              'aws:ResourceTag/scalelab:stack': lab.stackName,
              'aws:ResourceTag/scalelab:section': '1',
            },
          },
        },
      ]);
    }
  });

  it('may make exactly the AWS calls their adapter methods need, and no action is a wildcard', () => {
    const { stack, template } = operatorTemplate();
    for (const [dir, fn] of Object.entries(stack.functions)) {
      const statements = statementsOf(template, logicalIdOf(fn.function.role!));
      const actions = statements.flatMap((statement) => [statement.Action].flat() as string[]);
      expect([...new Set(actions)].sort(), dir).toEqual([...EXPECTED_ACTIONS[dir]!, ...XRAY_ACTIONS].sort());
      for (const action of actions) expect(action).not.toContain('*');
      for (const statement of statements.filter((s) => s.Resource === '*')) {
        for (const action of [statement.Action].flat()) {
          expect(String(action), dir).toMatch(/:Describe|^xray:Put(TraceSegments|TelemetryRecords)$/);
        }
      }
    }
  });

  it('derive their timeouts from the workflow and the configuration', () => {
    const { stack, template } = operatorTemplate();
    const timeoutOf = (dir: string): unknown =>
      template.toJSON().Resources[logicalIdOf(stack.functions[dir]!.function)].Properties.Timeout;
    expect(timeoutOf('validate')).toBe(25);
    expect(timeoutOf('tear-down')).toBe(415);
    expect(timeoutOf('arm-observer')).toBe(60);
    // boot 60 + healthy 2 × interval 10 + timeout 5, plus a minute.
    expect(timeoutOf('on-scaling-event')).toBe(145);
  });
});

describe('the workflow', () => {
  it('is the shared ASL file, byte for byte, with a substitution per function placeholder', () => {
    const { stack, template } = operatorTemplate();
    const definition = readFileSync(labLifecycleDefinitionPath(), 'utf8');
    const [[, props] = ['', {}]] = resourcesOf(template, 'AWS::StepFunctions::StateMachine');
    expect(props.DefinitionString).toBe(definition);
    expect(definitionPlaceholders(definition)).toEqual(Object.keys(HANDLERS).sort());
    expect(props.DefinitionSubstitutions).toEqual(
      Object.fromEntries(
        Object.entries(HANDLERS).map(([name, entry]) => [
          name,
          { 'Fn::GetAtt': [logicalIdOf(stack.functions[entry.dir]!.function), 'Arn'] },
        ]),
      ),
    );
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/Operator-LabLifecycle',
      RetentionInDays: 14,
    });
    expect(props).toMatchObject({
      StateMachineType: 'STANDARD',
      StateMachineName: 'Operator-LabLifecycle',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('may invoke its functions and nothing else of Lambda', () => {
    const { stack, template } = operatorTemplate();
    const statements = statementsOf(template, logicalIdOf(stack.workflow.stateMachine.role));
    const lambdaStatements = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('lambda:'),
    );
    // One statement once minimizePolicies merges them: the invoke action on each function (and :*).
    expect(lambdaStatements.map((statement) => statement.Action)).toEqual(['lambda:InvokeFunction']);
    const resources = [lambdaStatements[0]?.Resource].flat();
    expect(resources).toHaveLength(2 * WORKFLOW_DIRS.length);
    const invoked = JSON.stringify(resources);
    for (const dir of WORKFLOW_DIRS) expect(invoked).toContain(logicalIdOf(stack.functions[dir]!.function));
    expect(invoked).not.toContain(logicalIdOf(stack.functions[SCALING_EVENT_HANDLER.dir]!.function));
  });
});

describe('the scaling-event rule', () => {
  it('uses the very pattern of the local bus and targets on-scaling-event', () => {
    const { stack, template } = operatorTemplate();
    const props = ruleOf(stack, template);
    expect(props.EventPattern).toEqual(SCALING_EVENT_PATTERN);
    expect(props.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack.functions['on-scaling-event']!.function), 'Arn'] },
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
  });

  it('follows the configured group name', () => {
    const { stack, template } = operatorTemplate({ section2: { autoScalingGroupName: 'course-42' } });
    const props = ruleOf(stack, template);
    expect(props.EventPattern).toEqual(scalingEventPattern('course-42'));
  });
});

describe('the token table', () => {
  it('is keyed by observerId, on demand, with expiresAt as TTL', () => {
    const { template } = operatorTemplate();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'observerId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'observerId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});

describe('the execution-end rule', () => {
  it("sends the workflow's ends, with the local bus's pattern, to on-execution-end, given tear-down's time", () => {
    const { stack, template } = operatorTemplate();
    const props = ruleOf(stack, template, 'executionEndRule');
    const stateMachineRef = { Ref: logicalIdOf(stack.workflow.stateMachine) };
    expect(props.EventPattern).toEqual(executionEndPattern(stateMachineRef as unknown as string));
    const onExecutionEnd = stack.functions[EXECUTION_END_HANDLER.dir]!.function;
    expect(props.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [logicalIdOf(onExecutionEnd), 'Arn'] } }),
    ]);
    const timeouts = resourcesOf(template, 'AWS::Lambda::Function').map(([id, fn]) => [id, fn.Timeout]);
    const timeoutOf = (fn: typeof onExecutionEnd) => timeouts.find(([id]) => id === logicalIdOf(fn))?.[1];
    expect(timeoutOf(onExecutionEnd)).toBe(timeoutOf(stack.functions['tear-down']!.function));
  });
});
