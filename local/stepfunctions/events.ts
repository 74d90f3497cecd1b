/**
 * "Step Functions Execution Status Change" events, in the envelope EventBridge delivers, so the
 * local cloud's bus can route them with the same rules as on AWS.
 */

import { randomUUID } from 'node:crypto';
import type { ExecutionRedriveStatus } from '@aws-sdk/client-sfn';
import { STATUS_CHANGE_DETAIL_TYPE, STEP_FUNCTIONS_EVENT_SOURCE } from '../../lab/aws-facts.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../arn.js';
import type { EventBridgeEvent } from '../eventbridge/types.js';
import type { ExecutionRecord } from './store.js';

/** An event as EventBridge delivers it to a target (`time`: simulated, without milliseconds). */
export type EventBridgeEnvelope<Detail = Record<string, unknown>> = EventBridgeEvent<string, Detail>;

/** AWS's detail of a Step Functions Execution Status Change event (dates in epoch millis). */
export interface ExecutionStatusChangeDetail extends Record<string, unknown> {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate: number | null;
  /** Null when it did not fit in the event (`inputDetails.included` false). */
  input: string | null;
  inputDetails: { included: boolean };
  output: string | null;
  outputDetails: { included: boolean } | null;
  error: string | null;
  cause: string | null;
  redriveCount: number;
  redriveDate: number | null;
  redriveStatus: string;
  redriveStatusReason: string;
}

/**
 * Bytes of input and output together that a status change event carries. An execution's input and
 * output may each be up to 262,144 bytes, but an event may not (PutEvents takes at most 256 KiB):
 * like AWS, the event leaves out what does not fit and says so with `inputDetails` /
 * `outputDetails` `{ "included": false }`. The rest of the envelope fits in the margin left. Without
 * this, every status event of an execution with a large input was refused by PutEvents, and a
 * stopped one was never torn down (on-execution-end never heard of it).
 */
export const STATUS_EVENT_PAYLOAD_BYTES = 248 * 1024;

/** The size a string takes inside the event's JSON (quotes and escapes included). */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

function epochMs(iso: string | undefined): number | null {
  return iso === undefined ? null : Date.parse(iso);
}

/** Whether AWS would let this execution be redriven, and why not. */
export function redriveStatus(record: ExecutionRecord): {
  redriveStatus: ExecutionRedriveStatus;
  redriveStatusReason: string;
} {
  if (record.status === 'RUNNING') {
    return {
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    };
  }
  if (record.status === 'SUCCEEDED') {
    return {
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    };
  }
  return { redriveStatus: 'REDRIVABLE', redriveStatusReason: '' };
}

/** The status change event for the current state of `record`, stamped at simulated `nowMs`. */
export function statusChangeEvent(
  record: ExecutionRecord,
  nowMs: number,
): EventBridgeEnvelope<ExecutionStatusChangeDetail> {
  const inputBytes = jsonBytes(record.input);
  const includeInput = inputBytes <= STATUS_EVENT_PAYLOAD_BYTES;
  const carried = includeInput ? inputBytes : 0;
  const includeOutput =
    record.output !== undefined && carried + jsonBytes(record.output) <= STATUS_EVENT_PAYLOAD_BYTES;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': STATUS_CHANGE_DETAIL_TYPE,
    source: STEP_FUNCTIONS_EVENT_SOURCE,
    account: LOCAL_ACCOUNT_ID,
    time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [record.executionArn],
    detail: {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: Date.parse(record.startDate),
      stopDate: epochMs(record.stopDate),
      input: includeInput ? record.input : null,
      inputDetails: { included: includeInput },
      output: includeOutput ? (record.output ?? null) : null,
      outputDetails: record.output === undefined ? null : { included: includeOutput },
      error: record.error ?? null,
      cause: record.cause ?? null,
      redriveCount: record.redriveCount,
      redriveDate: epochMs(record.redriveDate),
      ...redriveStatus(record),
    },
  };
}
