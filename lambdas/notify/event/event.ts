/**
 * The events the notifier receives, in EventBridge's envelope, read at the boundary: an
 * envelope that is not one is refused with a named error; a detail is read field by field
 * later, tolerantly, because a message with a missing field beats no message at all.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { InvalidHandlerInput } from '../../../lab/workflow-errors.js';
import { isRecord, type JsonRecord } from '../../middy/input.js';

/** An event as EventBridge delivers it to a target (the local bus delivers the same). */
export type NotifyEvent = EventBridgeEvent<string, JsonRecord>;

/** Throws {@link InvalidHandlerInput} unless `event` is an EventBridge envelope with a detail object. */
export function parseNotifyEvent(event: unknown): NotifyEvent {
  if (!isRecord(event)) throw new InvalidHandlerInput('event must be an EventBridge event object');
  for (const field of ['source', 'detail-type'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      throw new InvalidHandlerInput(
        `${field} must be a non-empty string, got ${JSON.stringify(event[field])}`,
      );
    }
  }
  if (!isRecord(event.detail)) throw new InvalidHandlerInput('detail must be an object');
  return {
    version: typeof event.version === 'string' ? event.version : '0',
    id: typeof event.id === 'string' ? event.id : '',
    'detail-type': String(event['detail-type']),
    source: String(event.source),
    account: typeof event.account === 'string' ? event.account : '',
    time: typeof event.time === 'string' ? event.time : '',
    region: typeof event.region === 'string' ? event.region : '',
    resources: Array.isArray(event.resources) ? event.resources.map(String) : [],
    detail: event.detail,
  };
}

/** A string field of a detail, or `fallback` when it is missing or not a string. */
export function stringOf(detail: JsonRecord, field: string, fallback = ''): string {
  const value = detail[field];
  return typeof value === 'string' ? value : fallback;
}

/** A number field of a detail, or undefined. */
export function numberOf(detail: JsonRecord, field: string): number | undefined {
  const value = detail[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
