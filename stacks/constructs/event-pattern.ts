/** The event pattern and target shared by the operator's EventBridge rules. */
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
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
