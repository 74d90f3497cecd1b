import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { type EventRuleProps, toCdkEventPattern } from './event-pattern.js';

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
