/**
 * BENCHMARKS.md as a table that benches refresh in part: `--only X --write` replaces the rows X
 * measured (by name) and keeps every other row as it was, so one slow bench can be rerun without
 * all the others. The date line says which rows are from when.
 */
import { existsSync, readFileSync } from 'node:fs';

/** A table row as written: its cells, the first one its name. */
export type RowCells = string[];

const TABLE_LINE = /^\|(.*)\|$/;

/** The data rows of the first table in `markdown` (header and separator left out). */
export function tableRows(markdown: string): RowCells[] {
  const lines = markdown.split('\n').filter((line) => TABLE_LINE.test(line));
  return lines
    .slice(2)
    .map((line) => (TABLE_LINE.exec(line)?.[1] ?? '').split(' | ').map((cell) => cell.trim()));
}

/** `previous` with each row named in `fresh` replaced by it, and fresh rows of new names appended. */
export function mergeRows(previous: readonly RowCells[], fresh: readonly RowCells[]): RowCells[] {
  const byName = new Map(fresh.map((row) => [row[0], row]));
  const merged = previous.map((row) => byName.get(row[0]) ?? row);
  const kept = new Set(previous.map((row) => row[0]));
  return [...merged, ...fresh.filter((row) => !kept.has(row[0]))];
}

/** The date line of `markdown` (without "- Date: "), or undefined. */
export function previousDate(markdown: string): string | undefined {
  return /^- Date: (.*)$/m.exec(markdown)?.[1];
}

/** The existing report at `file`, or undefined when there is none. */
export function readReport(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * The report's date line after rerunning `names` on `today`: the full run's date first, then which
 * benches' rows are of which later date, e.g. `2026-11-28; rows of local-api, console: 2026-11-30`.
 * Benches rerun earlier keep their date.
 */
export function mergedDateLine(
  previousLine: string | undefined,
  names: readonly string[],
  today: string,
): string {
  const [base = 'unknown', ...segments] = (previousLine ?? '').split('; ');
  const dates = new Map<string, string>();
  for (const segment of segments) {
    const match = /^rows of (.+): (\S+)$/.exec(segment);
    for (const name of match?.[1]?.split(/, | and /) ?? []) dates.set(name, match?.[2] ?? '');
  }
  for (const name of names) dates.set(name, today);
  const byDate = new Map<string, string[]>();
  for (const [name, date] of dates) byDate.set(date, [...(byDate.get(date) ?? []), name]);
  return [base, ...[...byDate].map(([date, rows]) => `rows of ${rows.join(', ')}: ${date}`)].join('; ');
}
