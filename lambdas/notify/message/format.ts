/**
 * From an event to the Slack message about it, purely: the same event and options always give
 * the same message, and an event not worth a message gives undefined.
 */
import { LAB_EVENT_SOURCE } from '../../cloud/cloud.js';
import { PHASE_EVENT_TYPE } from '../../middy/phase-events.js';
import { VERDICT_EVENT_TYPE } from '../../verdict/core.js';
import type { NotifyEvent } from '../event/event.js';
import { STATUS_CHANGE_DETAIL_TYPE } from '../event/pattern.js';
import { executionMessage } from './format-execution.js';
import { phaseMessage, verdictMessage } from './format-lab.js';
import { scalingMessage } from './format-scaling.js';
import type { SlackMessage } from './slack-message.js';

export interface FormatOptions {
  /**
   * Where a person finds the evidence of an execution: on AWS the console page of the execution,
   * locally the run folder (`.scalelab/runs/<name>/`). See message/evidence-link.ts.
   */
  evidenceLink(executionName: string, executionArn?: string): string;
  /**
   * The step an execution (by ARN) failed in, as far as the notifier knows: the status change
   * event does not say, the phase events before it do (see memory.ts).
   */
  failingStepOf?(executionArn: string): string | undefined;
}

/** What an event is, for logs and the outbox; 'ignored' events get no message. */
export type EventKind =
  | 'execution-started'
  | 'execution-redriven'
  | 'execution-failed'
  | 'phase'
  | 'verdict'
  | 'scale-out'
  | 'scale-in'
  | 'instance-launched'
  | 'instance-terminated'
  | 'scaling-failed'
  | 'ignored';

/** The kind of `event`, from its source, detail-type and detail. */
export function eventKind(event: NotifyEvent): EventKind {
  const type = event['detail-type'];
  if (event.source === 'aws.states' && type === STATUS_CHANGE_DETAIL_TYPE) {
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
  if (event.source === 'aws.autoscaling') {
    if (type.endsWith('Unsuccessful')) return 'scaling-failed';
    // A policy's alarm in the cause tells scaling apart from provisioning and tear-down.
    const byPolicy = String(event.detail.Cause ?? '').includes('monitor alarm');
    if (type === 'EC2 Instance Launch Successful') return byPolicy ? 'scale-out' : 'instance-launched';
    if (type === 'EC2 Instance Terminate Successful') return byPolicy ? 'scale-in' : 'instance-terminated';
  }
  return 'ignored';
}

/**
 * The Block Kit message for `event` (`{ text, blocks }` for an incoming webhook), or undefined
 * for an event not worth a message (a SUCCEEDED status: the verdict said it; a failure that is
 * only the verdict's FAIL restated; anything the rule should not have sent).
 */
export function formatMessage(event: NotifyEvent, options: FormatOptions): SlackMessage | undefined {
  const kind = eventKind(event);
  switch (kind) {
    case 'execution-started':
    case 'execution-redriven':
    case 'execution-failed':
      return executionMessage(kind, event, options);
    case 'phase':
      return phaseMessage(event);
    case 'verdict':
      return verdictMessage(event, options);
    case 'scale-out':
    case 'scale-in':
    case 'instance-launched':
    case 'instance-terminated':
    case 'scaling-failed':
      return scalingMessage(kind, event);
    case 'ignored':
      return undefined;
  }
}
