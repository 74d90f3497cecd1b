/** How the operator commands print: text for people, one JSON document for scripts. */
import type { DescribeExecutionOutput, ExecutionListItem } from '@aws-sdk/client-sfn';
import type { ExecutionEvidence } from '../../local-lab/run/verdict-view.js';
import { displayWidth, padToWidth } from '../display-width.js';
import { verdictTable } from '../run-view.js';
import type { Phase, Timeline } from './timeline.js';

/** `12.3 s`, `5 min 03 s`, `1 h 02 min`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

function iso(date: Date | undefined): string {
  return date ? date.toISOString() : '-';
}

function duration(start: Date | undefined, stop: Date | undefined): string {
  return start && stop ? formatSeconds((stop.getTime() - start.getTime()) / 1000) : '-';
}

/** A JSON string as a value when it parses, else as the string it is. */
function jsonValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The verdict inside an execution's output, if the workflow wrote one. */
export function verdictOf(output: string | undefined): string | undefined {
  const value = jsonValue(output);
  if (typeof value !== 'object' || value === null) return undefined;
  const verdict = (value as { verdict?: unknown }).verdict;
  if (typeof verdict === 'string') return verdict;
  const nested = (verdict as { verdict?: unknown; result?: unknown } | null | undefined) ?? {};
  const inner = nested.verdict ?? nested.result;
  return typeof inner === 'string' ? inner : undefined;
}

/** Columns aligned by display width: a CJK or emoji name takes two columns a character. */
function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => displayWidth(row[column] ?? '')))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => padToWidth(cell, widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** When an execution really started and stopped (the local endpoint's dates are simulated). */
export interface RealDates {
  realStartDate?: Date;
  realStopDate?: Date;
}

/**
 * `list` for people. With `real` (locally) STARTED and DURATION are by the wall clock and
 * SIMULATED is the simulated duration; without it (AWS, where dates are real) the dates as sent.
 */
export function listText(items: readonly ExecutionListItem[], real?: ReadonlyMap<string, RealDates>): string {
  if (items.length === 0) return 'no executions';
  const redriven = (item: ExecutionListItem) => (item.redriveCount ? `redriven ${item.redriveCount}x` : '');
  if (!real) {
    const rows = items.map((item) => [
      item.name ?? '',
      item.status ?? '',
      iso(item.startDate),
      duration(item.startDate, item.stopDate),
      redriven(item),
    ]);
    return table([['NAME', 'STATUS', 'STARTED', 'DURATION', ''], ...rows]);
  }
  const rows = items.map((item) => {
    const dates = real.get(item.executionArn ?? '') ?? {};
    return [
      item.name ?? '',
      item.status ?? '',
      dates.realStartDate ? iso(dates.realStartDate) : `${iso(item.startDate)} (simulated)`,
      duration(dates.realStartDate, dates.realStopDate),
      duration(item.startDate, item.stopDate),
      redriven(item),
    ];
  });
  return table([['NAME', 'STATUS', 'STARTED', 'DURATION', 'SIMULATED', ''], ...rows]);
}

/** `list --json`: AWS's dates as sent (simulated locally), and locally the real ones beside them. */
export function listJson(
  items: readonly ExecutionListItem[],
  real?: ReadonlyMap<string, RealDates>,
): unknown {
  return items.map((item) => {
    const dates = real?.get(item.executionArn ?? '');
    return {
      name: item.name,
      executionArn: item.executionArn,
      status: item.status,
      startDate: iso(item.startDate),
      stopDate: item.stopDate ? iso(item.stopDate) : undefined,
      realStartDate: dates?.realStartDate ? iso(dates.realStartDate) : undefined,
      realStopDate: dates?.realStopDate ? iso(dates.realStopDate) : undefined,
      redriveCount: item.redriveCount ?? 0,
    };
  });
}

function phaseStatus(phase: Phase, running: boolean): string {
  if (phase.exitedAt) return phase.error ? `caught ${phase.error}` : 'ok';
  if (phase.error) return `FAILED ${phase.error}`;
  return running ? 'running' : 'not finished';
}

/** How `show` prints an execution's dates: `simulated` locally, where AWS's dates are the clock's. */
export interface DateLabel {
  simulated?: boolean;
}

function headerLines(execution: DescribeExecutionOutput, { simulated = false }: DateLabel): string[] {
  const label = (text: string) => (simulated && text !== '-' ? `${text} (simulated)` : text);
  return [
    `Execution  ${execution.executionArn ?? ''}`,
    `Status     ${execution.status ?? ''}${execution.redriveCount ? ` (redriven ${execution.redriveCount}x)` : ''}`,
    `Started    ${label(iso(execution.startDate))}`,
    `Stopped    ${label(iso(execution.stopDate))}`,
    `Duration   ${label(duration(execution.startDate, execution.stopDate))}`,
  ];
}

/**
 * `show`'s text for a lab execution: the execution, then the verdict table `scalelab run` prints
 * (expectations, the lab's phase timeline, how scaling was seen, the verdict), not state by state.
 */
export function labShowText(
  execution: DescribeExecutionOutput,
  timeline: Timeline,
  evidence: ExecutionEvidence,
  { color = false, simulated = false }: { color?: boolean } & DateLabel = {},
): string {
  const lines = headerLines(execution, { simulated });
  if (timeline.failure) lines.push(`Failed in  ${timeline.failure.state ?? '?'}`);
  if (evidence.runFolder) lines.push(`Run folder ${evidence.runFolder}`);
  if (execution.status === 'RUNNING') {
    const phase = evidence.view.phases.at(-1);
    lines.push(`Phase      ${phase ? `${phase.phase} (running)` : '(none yet)'}`);
  }
  return [...lines, verdictTable(evidence.view, { color })].join('\n');
}

/** `show`'s text: the execution, its phases with durations, the failed step, the verdict. */
export function showText(
  execution: DescribeExecutionOutput,
  timeline: Timeline,
  { simulated = false }: DateLabel = {},
): string {
  const running = execution.status === 'RUNNING';
  const lines = [
    ...headerLines(execution, { simulated }),
    '',
    simulated ? 'Phases (simulated durations)' : 'Phases',
  ];
  const rows = timeline.phases.map((phase) => [
    `  ${phase.name}`,
    phase.type,
    phase.seconds === undefined ? '' : formatSeconds(phase.seconds),
    phaseStatus(phase, running),
  ]);
  lines.push(rows.length > 0 ? table(rows) : '  (none yet)');
  const failure = timeline.failure;
  if (failure) {
    lines.push('', `Failed step  ${failure.state ?? '?'}`, `Error        ${failure.error ?? '-'}`);
    lines.push(`Cause        ${failure.cause ?? '-'}`);
  }
  const verdict = verdictOf(execution.output);
  if (verdict) lines.push('', `Verdict    ${verdict}`);
  if (execution.output !== undefined) lines.push('', `Output     ${execution.output}`);
  return lines.join('\n');
}

export function showJson(execution: DescribeExecutionOutput, timeline: Timeline): unknown {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: iso(execution.startDate),
    stopDate: execution.stopDate ? iso(execution.stopDate) : undefined,
    redriveCount: execution.redriveCount ?? 0,
    input: jsonValue(execution.input),
    output: jsonValue(execution.output),
    error: execution.error,
    cause: execution.cause,
    verdict: verdictOf(execution.output),
    phases: timeline.phases.map((phase) => ({
      ...phase,
      enteredAt: iso(phase.enteredAt),
      exitedAt: phase.exitedAt ? iso(phase.exitedAt) : undefined,
    })),
    failure: timeline.failure,
  };
}

/** Writes one JSON document (scripts parse stdout whole). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printText(text: string): void {
  process.stdout.write(`${text}\n`);
}
