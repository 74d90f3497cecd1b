/**
 * What an event is, read from its source, detail-type and a field or two of its detail: the
 * notifier decides by it whether to remember a phase and which message to build, and names it in
 * its log lines and the outbox.
 */
import {
  AUTO_SCALING_DETAIL_TYPES,
  AUTO_SCALING_EVENT_SOURCE,
  STATUS_CHANGE_DETAIL_TYPE,
  STEP_FUNCTIONS_EVENT_SOURCE,
} from '../../../lab/aws-facts.js';
import {
  LAB_EVENT_SOURCE,
  LAB_TORN_DOWN_EVENT_TYPE,
  PHASE_EVENT_TYPE,
  VERDICT_EVENT_TYPE,
} from '../../../lab/events.js';
import type { NotifyEvent } from './event.js';

/** What an event is, for logs and the outbox; 'ignored' events get no message. */
export type EventKind =
  | 'execution-started'
  | 'execution-redriven'
  | 'execution-failed'
  | 'phase'
  | 'verdict'
  | 'torn-down'
  | 'scale-out'
  | 'scale-in'
  | 'instance-launched'
  | 'instance-terminated'
  | 'scaling-failed'
  | 'ignored';

/** The kind of `event`, from its source, detail-type and detail. */
export function eventKind(event: NotifyEvent): EventKind {
  const type = event['detail-type'];
  if (event.source === STEP_FUNCTIONS_EVENT_SOURCE && type === STATUS_CHANGE_DETAIL_TYPE) {
    const { status, redriveCount } = event.detail;
    if (status === 'RUNNING') {
      return typeof redriveCount === 'number' && redriveCount > 0
        ? 'execution-redriven'
        : 'execution-started';
    }
    return status === 'FAILED' || status === 'TIMED_OUT' || status === 'ABORTED'
      ? 'execution-failed'
      : 'ignored';
  }
  if (event.source === LAB_EVENT_SOURCE && type === PHASE_EVENT_TYPE) return 'phase';
  if (event.source === LAB_EVENT_SOURCE && type === VERDICT_EVENT_TYPE) return 'verdict';
  if (event.source === LAB_EVENT_SOURCE && type === LAB_TORN_DOWN_EVENT_TYPE) return 'torn-down';
  if (event.source === AUTO_SCALING_EVENT_SOURCE) {
    if (type.endsWith('Unsuccessful')) return 'scaling-failed';
    // A policy's alarm in the cause tells scaling apart from provisioning and tear-down.
    const byPolicy = String(event.detail.Cause ?? '').includes('monitor alarm');
    if (type === AUTO_SCALING_DETAIL_TYPES.launchSuccessful)
      return byPolicy ? 'scale-out' : 'instance-launched';
    if (type === AUTO_SCALING_DETAIL_TYPES.terminateSuccessful)
      return byPolicy ? 'scale-in' : 'instance-terminated';
  }
  return 'ignored';
}
