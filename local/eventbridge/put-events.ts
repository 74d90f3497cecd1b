/**
 * Turns PutEvents entries (AWS request entries or whole envelopes) into full events, filling what
 * AWS fills and reporting bad entries the way AWS does: per entry, with an ErrorCode.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../arn.js';
import { PutEventsValidationError } from './errors.js';
import type { EventBridgeEvent, EventEnvelopeInput, PutEventsRequestEntry } from './types.js';

/** AWS accepts at most 10 entries per PutEvents call. */
export const MAX_PUT_EVENTS_ENTRIES = 10;
/** AWS limits a PutEvents request to 256 KB in total. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

export type PutEventsEntryInput = PutEventsRequestEntry | EventEnvelopeInput;

/** Either a ready event or the AWS-style error for that entry. */
export type NormalisedEntry = { event: EventBridgeEvent } | { errorCode: string; errorMessage: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEnvelope(entry: PutEventsEntryInput): entry is EventEnvelopeInput {
  return 'source' in entry || 'detail-type' in entry || 'detail' in entry;
}

function invalid(message: string): NormalisedEntry {
  return { errorCode: 'InvalidArgument', errorMessage: message };
}

function toIsoTime(time: Date | string | undefined, now: () => number): string | undefined {
  const date = time === undefined ? new Date(now()) : typeof time === 'string' ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) return undefined;
  // AWS writes event times to the second, e.g. "2017-12-22T18:43:48Z".
  return `${date.toISOString().slice(0, 19)}Z`;
}

function checkResources(resources: unknown): resources is string[] | undefined {
  return (
    resources === undefined || (Array.isArray(resources) && resources.every((r) => typeof r === 'string'))
  );
}

function fromRequestEntry(entry: PutEventsRequestEntry, now: () => number): NormalisedEntry {
  if (typeof entry.Source !== 'string' || entry.Source === '') {
    return invalid('Parameter Source is not valid. Reason: Source is a required argument.');
  }
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
    return invalid('Parameter DetailType is not valid. Reason: DetailType is a required argument.');
  }
  if (typeof entry.Detail !== 'string') {
    return invalid('Parameter Detail is not valid. Reason: Detail is a required argument.');
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (!isPlainObject(detail)) return { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  if (!checkResources(entry.Resources)) return invalid('Parameter Resources must be a list of strings.');
  const time = toIsoTime(entry.Time, now);
  if (time === undefined) return invalid(`Parameter Time is not a valid date: ${String(entry.Time)}`);
  return {
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT_ID,
      time,
      region: LOCAL_REGION,
      resources: entry.Resources ?? [],
      detail,
    },
  };
}

function fromEnvelope(entry: EventEnvelopeInput, now: () => number): NormalisedEntry {
  if (typeof entry.source !== 'string' || entry.source === '')
    return invalid('Event field "source" is required.');
  if (typeof entry['detail-type'] !== 'string' || entry['detail-type'] === '') {
    return invalid('Event field "detail-type" is required.');
  }
  if (!isPlainObject(entry.detail))
    return { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  if (!checkResources(entry.resources)) return invalid('Event field "resources" must be a list of strings.');
  // A time given in an envelope is kept as written; a missing one is filled like AWS writes it.
  const time = entry.time ?? toIsoTime(undefined, now) ?? '';
  if (Number.isNaN(Date.parse(time))) return invalid(`Event field "time" is not a valid date: ${entry.time}`);
  return {
    event: {
      version: entry.version ?? '0',
      id: entry.id ?? randomUUID(),
      'detail-type': entry['detail-type'],
      source: entry.source,
      account: entry.account ?? LOCAL_ACCOUNT_ID,
      time,
      region: entry.region ?? LOCAL_REGION,
      resources: entry.resources ?? [],
      detail: entry.detail,
    },
  };
}

/** Validates the request as a whole: AWS throws ValidationException for these. */
export function assertPutEventsRequest(entries: unknown): asserts entries is unknown[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new PutEventsValidationError('PutEvents needs a non-empty array of entries');
  }
  if (entries.length > MAX_PUT_EVENTS_ENTRIES) {
    throw new PutEventsValidationError(
      `PutEvents accepts at most ${MAX_PUT_EVENTS_ENTRIES} entries per call, got ${entries.length}`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(entries));
  if (bytes > MAX_PUT_EVENTS_BYTES) {
    throw new PutEventsValidationError(
      `PutEvents request is ${bytes} bytes, over the ${MAX_PUT_EVENTS_BYTES} limit`,
    );
  }
}

/**
 * Validates the request as a whole and normalises each entry. `now` gives the simulated time in
 * epoch milliseconds.
 */
export function normaliseEntries(entries: unknown, now: () => number): NormalisedEntry[] {
  assertPutEventsRequest(entries);
  return entries.map(function normaliseOne(entry: unknown, index): NormalisedEntry {
    if (!isPlainObject(entry)) return invalid(`Entry ${index} must be an object.`);
    const typed = entry as PutEventsEntryInput;
    return isEnvelope(typed) ? fromEnvelope(typed, now) : fromRequestEntry(typed, now);
  });
}
