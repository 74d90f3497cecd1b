/// <reference lib="dom" />
/**
 * The event history as a table, newest rows appended as they come: type, state, simulated time
 * since the start and real time, with each event's input, output or error behind a `<details>`.
 */
import type { HistoryRow } from '../model/console-api.js';
import { h } from './dom.js';

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function detailsOf(row: HistoryRow): HTMLElement | string {
  const parts: [string, string][] = [];
  if (row.input !== undefined) parts.push(['input', row.input]);
  if (row.output !== undefined) parts.push(['output', row.output]);
  if (row.error !== undefined || row.cause !== undefined)
    parts.push(['error', [row.error, row.cause].filter(Boolean).join(': ')]);
  if (parts.length === 0) return '';
  const summary = parts.map(([what]) => what).join(' / ');
  return h(
    'details',
    {},
    h('summary', {}, summary),
    ...parts.map(([what, text]) =>
      h('div', { class: 'detail' }, h('b', {}, what), h('pre', {}, pretty(text))),
    ),
  );
}

function rowOf(row: HistoryRow): HTMLTableRowElement {
  const failed = /Failed|TimedOut|Aborted/.test(row.type);
  return h(
    'tr',
    { 'data-event-id': row.id, class: failed ? 'failed' : undefined },
    h('td', { class: 'num' }, row.id),
    h('td', {}, row.type),
    h('td', {}, row.state ?? ''),
    h('td', { class: 'num' }, `+${row.elapsedSeconds.toFixed(1)} s`),
    h('td', {}, row.realTime.slice(11, 23)),
    h('td', {}, detailsOf(row)),
  );
}

export interface HistoryTable {
  element: HTMLTableElement;
  /** The id of the last row shown (the next refresh asks for the rows after it). */
  lastId(): number;
  append(rows: readonly HistoryRow[]): void;
}

export function historyTable(): HistoryTable {
  const body = h('tbody', {});
  const element = h(
    'table',
    { class: 'history' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'id'),
        h('th', {}, 'type'),
        h('th', {}, 'state'),
        h('th', { title: 'simulated time since the start' }, 'simulated'),
        h('th', { title: 'real time (UTC)' }, 'real'),
        h('th', {}, 'input / output'),
      ),
    ),
    body,
  );
  let last = 0;
  return {
    element,
    lastId: () => last,
    append(rows) {
      for (const row of rows) {
        if (row.id <= last) continue;
        body.append(rowOf(row));
        last = row.id;
      }
    },
  };
}
