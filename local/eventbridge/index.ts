/** The local EventBridge: pattern matching and the bus. */
export { LocalEventBus, type LocalEventBusOptions, MAX_TARGETS_PER_RULE } from './bus.js';
export { AWS_DEFAULT_RETRY_POLICY, LOCAL_RETRY_POLICY, retryDelaySeconds } from './delivery.js';
export * from './errors.js';
export {
  DEFAULT_MAX_FAULT_DELAY_SECONDS,
  type DeliveryFaults,
  type FaultRecord,
  validateFaults,
} from './faults.js';
export { compilePattern, type EventPattern, matchesPattern, validatePattern } from './pattern.js';
export {
  assertPutEventsRequest,
  MAX_PUT_EVENTS_ENTRIES,
  type PutEventsEntryInput,
} from './put-events.js';
export type * from './types.js';
