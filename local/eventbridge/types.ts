import type { EventBridgeEvent as AwsLambdaEventBridgeEvent } from 'aws-lambda';

/**
 * The envelope every event on an EventBridge bus has (AWS "Amazon EventBridge events" reference):
 * the very type Lambda handlers receive, from @types/aws-lambda, so the local bus, the local
 * Step Functions and the handlers share one definition.
 */
export type EventBridgeEvent<
  TDetailType extends string = string,
  TDetail = unknown,
> = AwsLambdaEventBridgeEvent<TDetailType, TDetail>;

/** One entry of AWS's PutEvents request (`@aws-sdk/client-eventbridge` PutEventsRequestEntry). */
export interface PutEventsRequestEntry {
  Source?: string;
  DetailType?: string;
  /** A JSON object, serialised, as AWS requires. */
  Detail?: string;
  Resources?: string[];
  Time?: Date | string;
  EventBusName?: string;
}

/** An envelope handed over whole; the bus fills whatever AWS would fill (id, time, account…). */
export type EventEnvelopeInput = Pick<EventBridgeEvent, 'source' | 'detail-type' | 'detail'> &
  Partial<Omit<EventBridgeEvent, 'source' | 'detail-type' | 'detail'>>;

/** PutEvents' per-entry result: an EventId, or an ErrorCode and ErrorMessage. */
export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** A rule target: a function standing in for a Lambda, a Step Functions task token sender… */
export interface LocalTarget {
  id: string;
  handler: (event: EventBridgeEvent) => Promise<void> | void;
}

export interface PutRuleInput {
  name: string;
  /** The same object a CDK `events.Rule` takes as `eventPattern`, or its JSON text. */
  eventPattern: Readonly<Record<string, unknown>> | string;
  state?: 'ENABLED' | 'DISABLED';
  description?: string;
}

/**
 * How a failing target is retried. AWS's default is 185 retries over 24 hours with exponential
 * backoff and jitter; the local bus scales this down (see LOCAL_RETRY_POLICY).
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maximumRetryAttempts: number;
  /** Simulated seconds after the event was put beyond which no retry starts. */
  maximumEventAgeSeconds: number;
  /** Simulated seconds before the first retry; doubles each retry up to maxDelaySeconds. */
  initialDelaySeconds: number;
  maxDelaySeconds: number;
  /** Real milliseconds an attempt may take before it counts as failed (work takes real time). */
  attemptTimeoutMs: number;
}

/** A delivery that gave up: what AWS would send to a rule target's dead-letter queue. */
export interface DeliveryFailure {
  ruleName: string;
  targetId: string;
  event: EventBridgeEvent;
  attempts: number;
  error: unknown;
  reason: 'retries-exhausted' | 'event-too-old' | 'bus-closed';
}
