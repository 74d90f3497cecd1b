import wrapAnsi from 'wrap-ansi';
import { humanDuration } from '../lab/durations.js';
import { timelineLine } from '../lambdas/verdict/timeline.js';
import type { LabSummary } from '../local-lab/run/run-folder.js';
import type { VerdictView } from '../local-lab/run/verdict-view.js';
import { type Palette, palette } from './progress/palette.js';

export type { VerdictView };

/** The verdict fits this many columns, whatever the terminal (a CI log has none). */
export const VERDICT_COLUMNS = 100;

/**
 * `text` wrapped at {@link VERDICT_COLUMNS}: its own leading spaces kept on the first line,
 * continuation lines indented by `indent` spaces (at least as many as those).
 */
function wrapped(text: string, indent: number): string {
  const lead = /^ */.exec(text)?.[0] ?? '';
  return wrapAnsi(text.slice(lead.length), VERDICT_COLUMNS - indent, { hard: true })
    .split('\n')
    .map((line, i) => (i === 0 ? `${lead}${line}` : `${' '.repeat(indent)}${line}`))
    .join('\n');
}

/** One expectation: held or not, what was measured against its budget, wrapped to fit. */
function expectationLine(e: VerdictView['verdict']['expectations'][number], colors: Palette): string {
  const mark = e.held ? colors.tone('good', '✔ held') : colors.tone('bad', '✘ NOT held');
  return wrapped(`  ${mark}  ${e.name}: ${e.measured ?? 'never measured'}; budget ${e.budget}`, 6);
}

function phaseLines(summary: VerdictView): string[] {
  const width = Math.max(...summary.phases.map(({ phase }) => phase.length), 0);
  return summary.phases.map((p) => {
    const real = p.realSeconds === undefined ? '' : `  ${p.realSeconds.toFixed(1).padStart(5)} s real`;
    return `  ${p.phase.padEnd(width)}  ${humanDuration(p.simulatedSeconds).padStart(11)} simulated${real}`;
  });
}

/**
 * The verdict: one line per expectation (measured against its budget), the phases, how each
 * scaling was seen, each instance's timeline, then the verdict and the run's lag. Fits
 * {@link VERDICT_COLUMNS}; coloured only when `color`.
 */
export function verdictTable(summary: VerdictView, { color = false } = {}): string {
  const colors = palette(color);
  const { verdict } = summary;
  // No expectation was judged (interrupted, or ended before the Verdict step): an empty list
  // would read as a lab that checked nothing, so the reason stands in its place.
  const judged = verdict.expectations.length > 0;
  return [
    '',
    ...(judged
      ? verdict.expectations.map((e) => expectationLine(e, colors))
      : [wrapped(`no verdict: ${verdict.reason}`, 2)]),
    '',
    'phases:',
    ...phaseLines(summary),
    ...observationLines(summary),
    ...timelineLines(summary),
    '',
    ...(judged ? [wrapped(`${colors.verdict(verdict.verdict)}: ${verdict.reason}`, 2)] : []),
    wrapped(runLine(summary), 1),
  ].join('\n');
}

/** How the run went: its status, real time and time scale, and its lag, or what was not measured. */
function runLine(summary: VerdictView): string {
  const { execution, wallSeconds, timeScale, lag } = summary;
  if (wallSeconds === undefined || timeScale === undefined || lag === undefined) {
    const why = summary.notMeasured?.lag ?? 'no run folder';
    return `(${execution.status}; real time and lag not measured: ${why})`;
  }
  return `(${execution.status}, ${wallSeconds} s real at time scale ${timeScale}${askedFor(summary)}; ${lagLine({ lag, timeScale })})`;
}

/**
 * Below this share of the time scale asked for, the run says the machine capped it: the clock
 * waited for the machine (local/clock.ts) so often that asking for more buys no speed.
 */
const CAPPED_SHARE = 0.8;

/** ", capped from N" when the run did not use the time scale asked for. */
function askedFor({ timeScaleCapped }: VerdictView): string {
  return timeScaleCapped ? `, capped from ${timeScaleCapped.requested}` : '';
}

/** The run's lag in a few words: what the verdict's trust rests on, and what the clock waited. */
function lagLine({ lag, timeScale }: Pick<LabSummary, 'lag' | 'timeScale'>): string {
  const within = `lag ${lag.maxLagSimulatedSeconds} s simulated at worst, ${lag.trustworthy ? 'within' : 'over'} the ${lag.toleranceSimulatedSeconds} s tolerated`;
  if (lag.effectiveTimeScale >= timeScale * CAPPED_SHARE) return within;
  const waited = Math.round(lag.heldRealMs / 100) / 10;
  return `${within}; this machine held time scale ${lag.effectiveTimeScale}, not ${timeScale}: the clock waited ${waited} s for it, so simulated time stayed right and the run took longer`;
}

/** Which path saw each scaling (an event, or a round's re-check), and what the fault injection did. */
function observationLines(summary: VerdictView): string[] {
  const seen = Object.entries(summary.observations).map(
    ([name, o]) => `${name} ${o.held ? 'seen' : 'not seen'} by ${o.path} after ${o.rounds} round(s)`,
  );
  const lines = seen.length > 0 ? ['', wrapped(`observed: ${seen.join('; ')}`, 2)] : [];
  if (!summary.eventFaults) return lines;
  const counts = new Map<string, number>();
  for (const { fault } of summary.eventFaults.records) counts.set(fault, (counts.get(fault) ?? 0) + 1);
  const done = [...counts].map(([fault, n]) => `${n} ${fault}`).join(', ') || 'none applied';
  return [...lines, wrapped(`event faults (${JSON.stringify(summary.eventFaults.settings)}): ${done}`, 2)];
}

/** One line per section-2 instance: its moments, from the verdict's timeline. */
function timelineLines({ timelines }: VerdictView): string[] {
  if (!timelines) return [];
  const from = timelines.fromTime ? `, ${timelines.fromTime}` : '';
  return [
    '',
    wrapped(`instances (simulated s after the ${timelines.from}${from}):`, 2),
    ...timelines.instances.map((row) => wrapped(`  ${timelineLine(row)}`, 4)),
    ...(timelines.note ? [wrapped(`  (${timelines.note})`, 3)] : []),
  ];
}
