/**
 * The lab's own events on EventBridge: what the workflow announces (phases, the verdict) for
 * Slack, the live progress view and anyone else who listens.
 */

/** The source of every event the lab puts (AWS reserves `aws.*` for its services). */
export const LAB_EVENT_SOURCE = 'scalelab';

/** detail-type of the event a workflow step puts when it starts: its phase. */
export const PHASE_EVENT_TYPE = 'Lab Phase Changed';

/** detail-type of the event the verdict step puts. */
export const VERDICT_EVENT_TYPE = 'Lab Verdict';

/**
 * detail-type of the event on-execution-end puts after tearing down the lab of an execution that
 * ended without its own tear-down (stopped, timed out): what it stopped.
 */
export const LAB_TORN_DOWN_EVENT_TYPE = 'Lab Torn Down';
