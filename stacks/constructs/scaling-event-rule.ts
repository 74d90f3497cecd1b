import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { type EventRuleProps, toCdkEventPattern } from './event-pattern.js';

/**
 * Sends the lab group's Auto Scaling events (default bus) to on-scaling-event: launches and
 * terminations, and the lifecycle actions of the lab's hooks.
 */
export class ScalingEventRule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EventRuleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description:
        'scalelab: Auto Scaling launch/terminate and lifecycle-action events of the lab group to on-scaling-event',
      eventPattern: toCdkEventPattern(props.eventPattern),
      // Events are best effort and the handler is idempotent: a retry is safe, a late one useless.
      targets: [new targets.LambdaFunction(props.target, { retryAttempts: 2 })],
    });
  }
}
