import { timelineLine } from '../lambdas/verdict/timeline.js';
import type { LabProgress } from '../local-lab/run/lab-run.js';
import type { LabSummary } from '../local-lab/run/run-folder.js';

function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** One status line: phase, simulated and real elapsed time, capacity, CPU against the target. */
export function progressLine(p: LabProgress): string {
  const cpu = p.cpu === undefined ? '–' : `${Math.round(p.cpu)} %`;
  return `${p.phase.padEnd(22)} sim ${clock(p.simulatedSeconds)}  real ${p.realSeconds.toFixed(1).padStart(5)} s  in service ${p.inService}  healthy ${p.healthy}  CPU ${cpu} (target ${p.target} %)`;
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
}

/** The verdict table: each expectation, whether it held, what was measured and its budget. */
export function verdictTable(summary: LabSummary): string {
  const header = ['expectation', 'held', 'measured', 'budget'];
  const rows = summary.verdict.expectations.map((e) => [
    e.name,
    e.held ? 'yes' : 'NO',
    e.measured ?? '—',
    e.budget,
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((cells) => (cells[i] ?? '').length)));
  const phases = summary.phases.map(
    (p) =>
      `  ${p.phase.padEnd(22)} ${String(p.simulatedSeconds).padStart(5)} s simulated  ${p.realSeconds.toFixed(1).padStart(5)} s real`,
  );
  // No expectation was judged (interrupted, or ended before the Verdict step): an empty table
  // would read as a lab that checked nothing, so the reason stands in its place.
  const judged = rows.length > 0;
  const table = judged
    ? [
        row(header, widths),
        row(
          widths.map((w) => '-'.repeat(w)),
          widths,
        ),
        ...rows.map((r) => row(r, widths)),
      ]
    : [`no verdict: ${summary.verdict.reason}`];
  return [
    '',
    ...table,
    '',
    'phases:',
    ...phases,
    ...observationLines(summary),
    ...timelineLines(summary),
    '',
    ...(judged ? [`${summary.verdict.verdict}: ${summary.verdict.reason}`] : []),
    `(${summary.execution.status}, ${summary.wallSeconds} s real at time scale ${summary.timeScale}${askedFor(summary)}; ${lagLine(summary)})`,
  ].join('\n');
}

/**
 * Below this share of the time scale asked for, the run says the machine capped it: the clock
 * waited for the machine (local/clock.ts) so often that asking for more buys no speed.
 */
const CAPPED_SHARE = 0.8;

/** ", capped from N" when the run did not use the time scale asked for. */
function askedFor({ timeScaleCapped }: LabSummary): string {
  return timeScaleCapped ? `, capped from ${timeScaleCapped.requested}` : '';
}

/** The run's lag in a few words: what the verdict's trust rests on, and what the clock waited. */
function lagLine({ lag, timeScale }: LabSummary): string {
  const within = `lag ${lag.maxLagSimulatedSeconds} s simulated at worst, ${lag.trustworthy ? 'within' : 'over'} the ${lag.toleranceSimulatedSeconds} s tolerated`;
  if (lag.effectiveTimeScale >= timeScale * CAPPED_SHARE) return within;
  const waited = Math.round(lag.heldRealMs / 100) / 10;
  return `${within}; this machine held time scale ${lag.effectiveTimeScale}, not ${timeScale}: the clock waited ${waited} s for it, so simulated time stayed right and the run took longer`;
}

/** Which path saw each scaling (an event, or a round's re-check), and what the fault injection did. */
function observationLines(summary: LabSummary): string[] {
  const seen = Object.entries(summary.observations).map(
    ([name, o]) => `${name} ${o.held ? 'seen' : 'not seen'} by ${o.path} after ${o.rounds} round(s)`,
  );
  const lines = seen.length > 0 ? ['', `observed: ${seen.join('; ')}`] : [];
  if (!summary.eventFaults) return lines;
  const counts = new Map<string, number>();
  for (const { fault } of summary.eventFaults.records) counts.set(fault, (counts.get(fault) ?? 0) + 1);
  const done = [...counts].map(([fault, n]) => `${n} ${fault}`).join(', ') || 'none applied';
  return [...lines, `event faults (${JSON.stringify(summary.eventFaults.settings)}): ${done}`];
}

/** One line per section-2 instance: its moments, from the verdict's timeline. */
function timelineLines({ timelines }: LabSummary): string[] {
  if (!timelines) return [];
  const from = timelines.fromTime ? `, ${timelines.fromTime}` : '';
  return [
    '',
    `instances (simulated s after the ${timelines.from}${from}):`,
    ...timelines.instances.map((row) => `  ${timelineLine(row)}`),
    ...(timelines.note ? [`  (${timelines.note})`] : []),
  ];
}
