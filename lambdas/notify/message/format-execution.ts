/** Messages for the workflow's own status changes: started, redriven, failed / timed out / stopped. */
import { type NotifyEvent, numberOf, stringOf } from '../event/event.js';
import { evidenceLine } from './evidence-link.js';
import type { FormatOptions } from './format.js';
import { phaseLabel, readableCause, VERDICT_FAIL_ERROR } from './phases.js';
import {
  code,
  codeBlock,
  context,
  fields,
  formatDuration,
  header,
  type SlackMessage,
  section,
  slackTime,
} from './slack-message.js';

const FAILED_TITLES: Readonly<Record<string, string>> = {
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  ABORTED: 'was stopped',
};

function isoOf(epochMs: number | undefined, fallback: string): string {
  return epochMs === undefined ? fallback : new Date(epochMs).toISOString();
}

/** The time scale of a local run, from the execution's input, when it has one. */
function timeScaleOf(input: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(input);
    const scale = (parsed as { config?: { timeScale?: unknown } } | null)?.config?.timeScale;
    return typeof scale === 'number' ? scale : undefined;
  } catch {
    return undefined;
  }
}

function started(event: NotifyEvent, options: FormatOptions, redriven: boolean): SlackMessage {
  const { detail } = event;
  const name = stringOf(detail, 'name', 'unnamed execution');
  const arn = stringOf(detail, 'executionArn');
  const redriveCount = numberOf(detail, 'redriveCount') ?? 0;
  const at = redriven
    ? isoOf(numberOf(detail, 'redriveDate'), event.time)
    : isoOf(numberOf(detail, 'startDate'), event.time);
  const scale = timeScaleOf(stringOf(detail, 'input'));
  const title = redriven ? `Lab redriven (redrive ${redriveCount}): ${name}` : `Lab started: ${name}`;
  const pairs: [string, string][] = [
    ['Execution', code(name)],
    [redriven ? 'Redriven' : 'Started', slackTime(at)],
  ];
  if (scale !== undefined && scale !== 1) pairs.push(['Time scale', `${scale}× (simulated time)`]);
  return {
    text: `scalelab: ${title}`,
    blocks: [
      header(`${redriven ? '🔁' : '🚀'} ${title}`),
      fields(pairs),
      context(evidenceLine(options, name, arn)),
    ],
  };
}

function failed(event: NotifyEvent, options: FormatOptions): SlackMessage | undefined {
  const { detail } = event;
  const status = stringOf(detail, 'status');
  const error = stringOf(detail, 'error');
  if (error === VERDICT_FAIL_ERROR) return undefined;
  const name = stringOf(detail, 'name', 'unnamed execution');
  const arn = stringOf(detail, 'executionArn');
  const cause = readableCause(stringOf(detail, 'cause'));
  const phase = arn ? options.failingStepOf?.(arn) : undefined;
  const startDate = numberOf(detail, 'startDate');
  const stopDate = numberOf(detail, 'stopDate');
  const title = `Lab ${FAILED_TITLES[status] ?? status.toLowerCase()}: ${name}`;
  const pairs: [string, string][] = [
    ['Status', code(status)],
    [
      'Failing step',
      phase ? `${phaseLabel(phase)} (${code(phase)})` : 'not seen by the notifier: see the execution',
    ],
    ['Error', error ? code(error) : 'none given'],
  ];
  if (startDate !== undefined && stopDate !== undefined) {
    pairs.push(['Ran for', formatDuration(stopDate - startDate)]);
  }
  return {
    text: `scalelab: ${title}${error ? ` (${error})` : ''}`,
    blocks: [
      header(`❌ ${title}`),
      fields(pairs),
      section(`*Cause*\n${cause ? codeBlock(cause) : 'none given'}`),
      context(evidenceLine(options, name, arn)),
    ],
  };
}

/** The message for a workflow status change of kind `kind`. */
export function executionMessage(
  kind: 'execution-started' | 'execution-redriven' | 'execution-failed',
  event: NotifyEvent,
  options: FormatOptions,
): SlackMessage | undefined {
  if (kind === 'execution-failed') return failed(event, options);
  return started(event, options, kind === 'execution-redriven');
}
