import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SLACK_SECRET_ENV } from '../../lambdas/notify/delivery/webhook-secret.js';
import { notifyEventPattern } from '../../lambdas/notify/event/pattern.js';
import { toCdkEventPattern } from './event-pattern.js';
import { LabFunction } from './lab-function.js';

/** The variable the notifier builds its Step Functions console links from (lambdas/notify/handler.ts). */
export const STATE_MACHINE_ARN_ENV = 'SCALELAB_STATE_MACHINE_ARN';
/** The delivery bound (20 s) plus the secret lookup and a cold start. */
export const NOTIFY_TIMEOUT = Duration.seconds(30);
/**
 * Retries after a failed delivery (SlackDeliveryFailed), both for EventBridge → Lambda and for
 * Lambda's own asynchronous retries: a late message beats a lost verdict, an hour-old one is noise.
 */
export const NOTIFY_RETRY_ATTEMPTS = 2;
export const NOTIFY_MAX_EVENT_AGE = Duration.hours(1);

export interface SlackNotifierProps {
  /**
   * The lab workflow's ARN, built from its fixed name (not the state machine's token): the
   * notifier must stay free to be referenced by the workflow without a dependency cycle.
   */
  stateMachineArn: string;
  /** The lab's Auto Scaling group (a physical name from the lab configuration). */
  autoScalingGroupName: string;
}

/**
 * The Slack notifier on AWS: the lambdas/notify function, the secret that holds the webhook URL
 * (created empty; the operator puts the URL after deploy, so it is never in a template) and the
 * default-bus rule with the very pattern the local bus uses.
 */
export class SlackNotifier extends Construct {
  readonly function: LabFunction;
  readonly secret: secretsmanager.Secret;
  readonly rule: events.Rule;
  /** The pattern as AWS writes it, the same object the local bus is given. */
  readonly eventPattern: ReturnType<typeof notifyEventPattern>;

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'SlackWebhookSecret', {
      description:
        'scalelab: the Slack incoming webhook URL (or {"webhookUrl": "..."}); set it with put-secret-value',
    });
    // The L2 always sends GenerateSecretString (a random 32-character value). Without it and
    // without SecretString, CloudFormation creates an empty secret (CfnSecret's docs): the URL
    // comes from the operator after deploy and is never in a template.
    (this.secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride(
      'GenerateSecretString',
    );
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'a Slack incoming webhook URL cannot be rotated automatically; a new one is made in Slack',
    });
    this.function = new LabFunction(this, 'Notify', {
      dir: 'notify',
      timeout: NOTIFY_TIMEOUT,
      description: 'scalelab notify',
      environment: {
        [SLACK_SECRET_ENV]: this.secret.secretArn,
        [STATE_MACHINE_ARN_ENV]: props.stateMachineArn,
      },
    });
    this.secret.grantRead(this.function.function);
    this.function.function.configureAsyncInvoke({
      retryAttempts: NOTIFY_RETRY_ATTEMPTS,
      maxEventAge: NOTIFY_MAX_EVENT_AGE,
    });
    this.eventPattern = notifyEventPattern({
      stateMachineArn: props.stateMachineArn,
      autoScalingGroupName: props.autoScalingGroupName,
    });
    // One rule with a top-level $or (branches with different sources): EventBridge accepts it,
    // and one rule delivers an event once even if a later branch were to overlap another.
    this.rule = new events.Rule(this, 'Rule', {
      description: 'scalelab: workflow status changes, lab phases and verdicts, scaling events to Slack',
      eventPattern: toCdkEventPattern(this.eventPattern),
      targets: [
        new targets.LambdaFunction(this.function.function, {
          retryAttempts: NOTIFY_RETRY_ATTEMPTS,
          maxEventAge: NOTIFY_MAX_EVENT_AGE,
        }),
      ],
    });
  }
}
