/**
 * From an event to the Slack message about it, purely: the same event and options always give
 * the same message, and an event not worth a message gives undefined.
 */
import type { NotifyEvent } from '../event/event.js';
import { eventKind } from '../event/kind.js';
import { executionMessage } from './format-execution.js';
import { phaseMessage, tornDownMessage, verdictMessage } from './format-lab.js';
import { scalingMessage } from './format-scaling.js';
import type { SlackMessage } from './slack-message.js';

export interface FormatOptions {
  /**
   * Where a person finds the evidence of an execution: on AWS the console page of the execution,
   * locally the run folder (`.scalelab/runs/<name>/`). See evidence-link.ts.
   */
  evidenceLink(executionName: string, executionArn?: string): string;
  /**
   * The step an execution (by ARN) failed in, as far as the notifier knows: the status change
   * event does not say, the phase events before it do (see memory.ts).
   */
  failingStepOf?(executionArn: string): string | undefined;
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
    case 'torn-down':
      return tornDownMessage(event);
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
