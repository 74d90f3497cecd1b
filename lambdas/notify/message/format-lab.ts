/** Messages for the lab's own events: a phase reached, and the verdict with its expectations. */
import { isRecord } from '../../middy/input.js';
import type { ExpectationResult } from '../../verdict/core.js';
import { type NotifyEvent, stringOf } from '../event/event.js';
import { evidenceLine } from './evidence-link.js';
import type { FormatOptions } from './format.js';
import { phaseLabel, readableCause } from './phases.js';
import {
  code,
  codeBlock,
  context,
  escapeMrkdwn,
  header,
  type SlackMessage,
  section,
  slackTime,
} from './slack-message.js';

/** "lab-x reached provisioning the lab": one line, the time as context. */
export function phaseMessage(event: NotifyEvent): SlackMessage {
  const { detail } = event;
  const phase = stringOf(detail, 'phase', 'an unnamed phase');
  const name = stringOf(detail, 'executionName', 'an execution');
  const label = phaseLabel(phase);
  return {
    text: `scalelab: ${name} is ${label}`,
    blocks: [
      section(`▶️ *${escapeMrkdwn(name)}* is *${escapeMrkdwn(label)}* (${code(phase)})`),
      context(`Phase reached ${slackTime(stringOf(detail, 'at', event.time))}`),
    ],
  };
}

/**
 * "lab-x was stopped: its lab is torn down (…)": after a stop or a timeout, which skip the
 * workflow's own tear-down, what on-execution-end stopped.
 */
export function tornDownMessage(event: NotifyEvent): SlackMessage {
  const { detail } = event;
  const name = stringOf(detail, 'executionName', 'an execution');
  const status = stringOf(detail, 'status', 'ended');
  const stopped = Array.isArray(detail.stopped) ? detail.stopped.map(String) : [];
  const what = stopped.length > 0 ? stopped.join(', ') : 'nothing was running';
  return {
    text: `scalelab: the lab of ${name} (${status}) is torn down`,
    blocks: [
      section(`🧹 *${escapeMrkdwn(name)}* ended ${code(status)} without its tear-down: its lab is torn down`),
      section(`Stopped: ${escapeMrkdwn(what)}`),
      context(`Torn down ${slackTime(event.time)}`),
    ],
  };
}

/** The verdict event's expectations, read tolerantly: a missing field is shown, not refused. */
function expectationsOf(value: unknown): ExpectationResult[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    name: stringOf(item, 'name', 'unnamed expectation'),
    held: item.held === true,
    measured: typeof item.measured === 'string' ? item.measured : null,
    budget: stringOf(item, 'budget', 'no budget'),
  }));
}

/** One line per expectation: held or not, what was measured against what budget. */
function expectationLines(expectations: ExpectationResult[]): string {
  if (expectations.length === 0) return '_No expectation was evaluated._';
  return expectations
    .map(
      (e) =>
        `${e.held ? '✅' : '❌'} *${escapeMrkdwn(e.name)}*\n` +
        `      measured ${e.measured === null ? '_never reached_' : code(e.measured)} · budget ${escapeMrkdwn(e.budget)}`,
    )
    .join('\n');
}

/** The verdict: PASS or FAIL, the reason, the expectations table and where the evidence is. */
export function verdictMessage(event: NotifyEvent, options: FormatOptions): SlackMessage {
  const { detail } = event;
  const verdict = stringOf(detail, 'verdict', 'FAIL');
  const name = stringOf(detail, 'executionName', 'unnamed execution');
  const arn = stringOf(detail, 'executionId');
  const reason = stringOf(detail, 'reason');
  const expectations = expectationsOf(detail.expectations);
  const held = expectations.filter((e) => e.held).length;
  const passed = verdict === 'PASS';
  const blocks = [
    header(`${passed ? '✅' : '❌'} ${verdict}: ${name}`),
    section(`*${held} of ${expectations.length} expectations held.* ${escapeMrkdwn(reason)}`),
    section(expectationLines(expectations)),
  ];
  const error = isRecord(detail.error) ? detail.error : undefined;
  if (error) {
    const cause = readableCause(stringOf(error, 'Cause'));
    blocks.push(
      section(
        `*Stopped on* ${code(stringOf(error, 'Error', 'an error'))}${cause ? `\n${codeBlock(cause)}` : ''}`,
      ),
    );
  }
  blocks.push(context(evidenceLine(options, name, arn)));
  return { text: `scalelab: ${name}: ${verdict} (${held}/${expectations.length} expectations held)`, blocks };
}
