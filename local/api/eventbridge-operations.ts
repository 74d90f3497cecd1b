/** The EventBridge operation the endpoint serves (`X-Amz-Target: AWSEvents.PutEvents`). */
import type { LocalEventBus, PutEventsRequestEntry } from '../eventbridge/index.js';
import { PutEventsValidationError } from '../eventbridge/index.js';
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

/** `AWSEvents.*` operations by name, over one {@link LocalEventBus}. */
export function eventBridgeOperations(bus: LocalEventBus): Record<string, Operation> {
  return {
    PutEvents(body) {
      checkMembers(body, { Entries: { type: 'list', required: true }, EndpointId: { type: 'string' } });
      const entries = (body.Entries as unknown[]).map(requestEntry);
      try {
        return bus.putEvents(entries);
      } catch (error) {
        if (error instanceof PutEventsValidationError)
          throw new ValidationException(error.message, { cause: error });
        throw error;
      }
    },
  };
}
