import { Match } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SLACK_SECRET_ENV } from '../../lambdas/notify/delivery/webhook-secret.js';
import { notifyEventPattern } from '../../lambdas/notify/event/pattern.js';
import { STATE_MACHINE_ARN_ENV } from '../../stacks/constructs/slack-notifier.js';
import { logicalIdOf, operatorTemplate, resourcesOf } from './fixture.js';

type Json = Record<string, unknown>;

/** The state machine's ARN as the template writes it: built from its fixed name, no token of it. */
const STATE_MACHINE_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':states:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':stateMachine:Operator-LabLifecycle',
    ],
  ],
};

function notifierIds(stack: ReturnType<typeof operatorTemplate>['stack']) {
  const notifier = stack.slackNotifier;
  return {
    functionId: logicalIdOf(notifier.function.function),
    roleId: logicalIdOf(notifier.function.function.role!),
    secretId: logicalIdOf(notifier.secret),
    ruleId: logicalIdOf(notifier.rule),
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the Slack notifier function', () => {
  it('is lambdas/notify on Node.js 22, 30 s, told the secret and the state machine by ARN', () => {
    const { stack, template } = operatorTemplate();
    const { functionId, secretId } = notifierIds(stack);
    const [[, props] = ['', {}]] = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([id]) => id === functionId,
    );
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 30,
      Description: 'scalelab notify',
    });
    expect((props.Environment as { Variables: Json }).Variables).toEqual({
      [SLACK_SECRET_ENV]: { Ref: secretId },
      [STATE_MACHINE_ARN_ENV]: STATE_MACHINE_ARN,
      NODE_OPTIONS: '--enable-source-maps',
    });
    // No cycle: nothing of the notifier refers to the state machine resource itself.
    const machineId = logicalIdOf(stack.workflow.stateMachine);
    expect(JSON.stringify(props)).not.toContain(machineId);
  });

  it('gives up on an event after two asynchronous retries or an hour', () => {
    const { stack, template } = operatorTemplate();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: notifierIds(stack).functionId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });
});

describe('the webhook secret', () => {
  it('is created empty: no SecretString, no generated value', () => {
    const { stack, template } = operatorTemplate();
    const [[id, props] = ['', {}], ...others] = resourcesOf(template, 'AWS::SecretsManager::Secret');
    expect(others).toEqual([]);
    expect(id).toBe(notifierIds(stack).secretId);
    expect(props).not.toHaveProperty('SecretString');
    expect(props).not.toHaveProperty('GenerateSecretString');
    expect(props.Description).toMatch(/put-secret-value/);
  });

  it('is readable by the notifier only, and the notifier may read nothing else', () => {
    const { stack, template } = operatorTemplate();
    const { roleId, secretId } = notifierIds(stack);
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    const notifierStatements = policies
      .filter(([, props]) => JSON.stringify(props.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, props]) => (props.PolicyDocument as { Statement: Json[] }).Statement);
    expect(notifierStatements).toEqual([
      // Active tracing: send its trace data, which X-Ray accepts only on "*".
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
        Resource: { Ref: secretId },
      },
    ]);
    for (const action of [notifierStatements[1]?.Action].flat()) {
      expect(String(action)).toMatch(/^secretsmanager:(GetSecretValue|DescribeSecret)$/);
    }
    // No other role may read the secret.
    const others = policies.filter(
      ([, props]) => JSON.stringify(props.Roles) !== JSON.stringify([{ Ref: roleId }]),
    );
    expect(JSON.stringify(others)).not.toContain(secretId);
  });

  it('is named in the outputs, for the put-secret-value after deploy', () => {
    const { stack, template } = operatorTemplate();
    const { secretId } = notifierIds(stack);
    template.hasOutput('SlackWebhookSecretArn', { Value: { Ref: secretId } });
    template.hasOutput('SlackWebhookSecretName', { Value: Match.anyValue() });
  });

  it('keeps the webhook URL out of the template, even when the shell that synthesizes has one', () => {
    // The local run reads SLACK_WEBHOOK_URL; a stack that picked it up would publish it.
    vi.stubEnv('SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T0/B0/not-for-templates');
    const { template } = operatorTemplate();
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toContain('hooks.slack.com');
    expect(text).not.toContain('not-for-templates');
  });
});

describe('the notify rule', () => {
  it('has the very pattern the local bus uses, on the default bus', () => {
    const { stack, template } = operatorTemplate();
    const [[, props] = ['', {}]] = resourcesOf(template, 'AWS::Events::Rule').filter(
      ([id]) => id === notifierIds(stack).ruleId,
    );
    expect(props.EventBusName).toBeUndefined();
    // The local bus's pattern with the ARN as the template writes it in place of the string.
    const local = JSON.stringify(
      notifyEventPattern({ stateMachineArn: 'STATE-MACHINE-ARN', autoScalingGroupName: 'scalelab-serve' }),
    );
    expect(props.EventPattern).toEqual(
      JSON.parse(local.replace('"STATE-MACHINE-ARN"', JSON.stringify(STATE_MACHINE_ARN))),
    );
    expect(stack.slackNotifier.eventPattern.$or).toHaveLength(3);
  });

  it('follows the configured group name', () => {
    const { stack, template } = operatorTemplate({ section2: { autoScalingGroupName: 'course-42' } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        $or: Match.arrayWith([Match.objectLike({ detail: { AutoScalingGroupName: ['course-42'] } })]),
      },
    });
    expect(JSON.stringify(stack.slackNotifier.eventPattern)).toContain(
      '"AutoScalingGroupName":["course-42"]',
    );
  });

  it('targets the notifier with two retries within the hour', () => {
    const { stack, template } = operatorTemplate();
    const { functionId, ruleId } = notifierIds(stack);
    const [[, props] = ['', {}]] = resourcesOf(template, 'AWS::Events::Rule').filter(([id]) => id === ruleId);
    expect(props.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });
});
