import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** An EventBridge pattern as AWS writes it (`detail-type`, …), e.g. lambdas/on-scaling-event/pattern.ts. */
export type AwsEventPattern = Readonly<Record<string, unknown>>;

/** The CDK's spelling of the top-level fields (camelCase) for the ones AWS spells otherwise. */
const CDK_FIELD: Readonly<Record<string, keyof events.EventPattern>> = { 'detail-type': 'detailType' };

/** Converts a pattern as AWS writes it to the CDK's `EventPattern`, which renders back the same JSON. */
export function toCdkEventPattern(pattern: AwsEventPattern): events.EventPattern {
  return Object.fromEntries(
    Object.entries(pattern).map(([field, value]) => [CDK_FIELD[field] ?? field, value]),
  ) as events.EventPattern;
}

export interface EventRuleProps {
  /** The very pattern the local bus uses for this rule. */
  eventPattern: AwsEventPattern;
  target: lambda.IFunction;
}

/** Sends the lab group's Auto Scaling events (default bus) to on-scaling-event. */
export class ScalingEventRule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EventRuleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'scalelab: Auto Scaling launch/terminate events of the lab group to on-scaling-event',
      eventPattern: toCdkEventPattern(props.eventPattern),
      // Events are best effort and the handler is idempotent: a retry is safe, a late one useless.
      targets: [new targets.LambdaFunction(props.target, { retryAttempts: 2 })],
    });
  }
}

/**
 * Sends the lab workflow's status changes to an end (default bus, source aws.states) to
 * on-execution-end, which tears down after a stop or a timeout.
 */
export class ExecutionEndRule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EventRuleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description:
        'scalelab: the lab workflow ending (stopped, timed out, failed, succeeded) to on-execution-end',
      eventPattern: toCdkEventPattern(props.eventPattern),
      // Idempotent (a released lab is left alone); a lost event is covered by Validate's takeover.
      targets: [new targets.LambdaFunction(props.target, { retryAttempts: 2 })],
    });
  }
}
