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
