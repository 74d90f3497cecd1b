/** The EventBridge operation the endpoint serves (`X-Amz-Target: AWSEvents.PutEvents`). */
import { randomUUID } from 'node:crypto';
import type {
  LocalEventBus,
  PutEventsRequestEntry,
  PutEventsResult,
  PutEventsResultEntry,
} from '../eventbridge/index.js';
import { assertPutEventsRequest, PutEventsValidationError } from '../eventbridge/index.js';
import { SerializationException, ValidationException } from './errors.js';
import { checkMembers } from './members.js';
import type { Operation } from './stepfunctions-operations.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One wire entry as a request entry: only AWS's member names are read (so a wire entry can never
 * pass as a whole envelope), and `Time` arrives as epoch seconds, as the JSON protocol sends dates.
 */
function requestEntry(raw: unknown, index: number): PutEventsRequestEntry {
  if (!isRecord(raw)) throw new SerializationException(`Entries[${index}] must be an object`);
  const time = raw.Time;
  if (time !== undefined && typeof time !== 'number' && typeof time !== 'string') {
    throw new SerializationException(`Entries[${index}].Time must be a timestamp`);
  }
  return {
    Source: raw.Source as string | undefined,
    DetailType: raw.DetailType as string | undefined,
    Detail: raw.Detail as string | undefined,
    Resources: raw.Resources as string[] | undefined,
    Time: typeof time === 'number' ? new Date(time * 1000) : time,
    EventBusName: raw.EventBusName as string | undefined,
  };
}

/** AWS reserves sources starting with `aws.` for its services; a caller's entry with one fails alone. */
const RESERVED_SOURCE = /^aws\./;

/**
 * Whether an entry names a bus other than this one. AWS accepts such an entry (an EventId, no
 * error) and delivers it nowhere: observed and reported in aws/aws-sdk#186 and aws/aws-cli#9186.
 */
function forAnotherBus(entry: PutEventsRequestEntry, bus: LocalEventBus): boolean {
  const name = entry.EventBusName;
  return name !== undefined && name !== '' && name !== bus.name && name !== bus.arn;
}

/** One entry's fate before the bus sees it: refused, accepted but undelivered, or for the bus. */
function screen(entry: PutEventsRequestEntry, bus: LocalEventBus): PutEventsResultEntry | undefined {
  if (RESERVED_SOURCE.test(entry.Source ?? '')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  if (forAnotherBus(entry, bus)) return { EventId: randomUUID() };
  return undefined;
}

/** PutEvents: the entries for this bus go to it in one batch; results keep the request's order. */
function putEvents(bus: LocalEventBus, entries: PutEventsRequestEntry[]): PutEventsResult {
  assertPutEventsRequest(entries);
  const screened = entries.map((entry) => screen(entry, bus));
  const forThisBus = entries.filter((_, i) => screened[i] === undefined);
  const routed = forThisBus.length > 0 ? bus.putEvents(forThisBus) : { Entries: [] };
  let next = 0;
  const results = screened.map((result) => result ?? routed.Entries[next++] ?? {});
  return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
}

/** `AWSEvents.*` operations by name, over one {@link LocalEventBus}. */
export function eventBridgeOperations(bus: LocalEventBus): Record<string, Operation> {
  return {
    PutEvents(body) {
      checkMembers(body, { Entries: { type: 'list', required: true }, EndpointId: { type: 'string' } });
      const entries = (body.Entries as unknown[]).map(requestEntry);
      try {
        return putEvents(bus, entries);
      } catch (error) {
        if (error instanceof PutEventsValidationError)
          throw new ValidationException(error.message, { cause: error });
        throw error;
      }
    },
  };
}
