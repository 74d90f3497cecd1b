/// <reference lib="dom" />
/** The home page: the start form, then every execution (newest first), kept fresh by the live stream. */
import type { ExecutionSummary, StateMachineInfo } from '../model/console-api.js';
import { ApiRefused, api, executionPath, refOf } from './api.js';
import { h, humanSeconds, replaceChildren, shortDate } from './dom.js';

export interface Page {
  element: HTMLElement;
  /** Something changed (an execution's history grew): refresh what the page shows. */
  refresh(changedArn?: string): void;
  destroy(): void;
}

function executionLink(executionArn: string, name: string): HTMLAnchorElement {
  return h('a', { href: `#${executionPath(refOf(executionArn))}` }, name);
}

function listRow(item: ExecutionSummary): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-execution': item.name },
    h('td', {}, executionLink(item.executionArn, item.name)),
    h('td', {}, item.stateMachine),
    h('td', {}, h('span', { class: `status status-${item.status.toLowerCase()}` }, item.status)),
    h('td', {}, shortDate(item.startDate)),
    h('td', { class: 'num' }, humanSeconds(item.durationSeconds)),
    h(
      'td',
      {},
      item.verdict ? h('span', { class: `verdict verdict-${item.verdict.toLowerCase()}` }, item.verdict) : '',
    ),
  );
}

function startForm(machines: StateMachineInfo[], onStarted: (executionArn: string) => void): HTMLFormElement {
  const machine = h(
    'select',
    { name: 'stateMachine' },
    ...machines.map((m) => h('option', { value: m.name }, m.name)),
  );
  const name = h('input', {
    name: 'name',
    placeholder: 'a name, or empty for a generated one',
    autocomplete: 'off',
  });
  const input = h('textarea', { name: 'input', rows: 22, spellcheck: 'false' });
  const errors = {
    stateMachine: h('div', { class: 'field-error', 'data-error-for': 'stateMachine' }),
    name: h('div', { class: 'field-error', 'data-error-for': 'name' }),
    input: h('div', { class: 'field-error', 'data-error-for': 'input' }),
  };
  const general = h('div', { class: 'field-error', 'data-error-for': 'form' });
  const fill = () => {
    input.value = machines.find((m) => m.name === machine.value)?.defaultInput ?? '{}';
  };
  machine.addEventListener('change', fill);
  fill();
  const submit = h('button', { type: 'submit' }, 'Start execution');
  const form = h(
    'form',
    { class: 'start-form' },
    h('h2', {}, 'Start an execution'),
    h('label', {}, 'State machine', machine),
    errors.stateMachine,
    h('label', {}, 'Name', name),
    errors.name,
    h('label', {}, 'Input (JSON)', input),
    errors.input,
    h('div', { class: 'actions' }, submit),
    general,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const element of [...Object.values(errors), general]) element.textContent = '';
    submit.disabled = true;
    api
      .start({ stateMachine: machine.value, name: name.value.trim(), input: input.value })
      .then((started) => onStarted(started.executionArn))
      .catch((error: unknown) => {
        const fields = error instanceof ApiRefused ? error.body.errors : undefined;
        if (fields)
          for (const [field, message] of Object.entries(fields))
            errors[field as keyof typeof errors].textContent = message ?? '';
        else general.textContent = String((error as Error).message);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

export function listPage(navigate: (hash: string) => void): Page {
  const rows = h('tbody', {});
  const formSlot = h('div', {});
  const element = h(
    'div',
    { class: 'list-page' },
    h(
      'section',
      { class: 'executions' },
      h('h2', {}, 'Executions'),
      h(
        'table',
        { class: 'list' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['name', 'state machine', 'status', 'started (simulated)', 'duration', 'verdict'].map((t) =>
              h('th', {}, t),
            ),
          ),
        ),
        rows,
      ),
    ),
    formSlot,
  );
  let alive = true;
  let loading: Promise<void> | undefined;
  let again = false;
  // One fetch at a time, and one more after it if something changed meanwhile: a lab's many
  // events never pile up requests.
  const load = (): void => {
    if (loading) {
      again = true;
      return;
    }
    // A failed fetch (the serve restarting) is retried by the next change or the stream's reconnect.
    loading = fetchList()
      .catch(() => undefined)
      .finally(() => {
        loading = undefined;
        if (again && alive) {
          again = false;
          load();
        }
      });
  };
  const fetchList = () =>
    api.executions().then((items) => {
      if (!alive) return;
      replaceChildren(
        rows,
        ...(items.length > 0
          ? items.map(listRow)
          : [h('tr', {}, h('td', { colspan: 6 }, 'no executions yet'))]),
      );
    });
  load();
  void api.stateMachines().then((machines) => {
    if (!alive) return;
    formSlot.replaceChildren(
      startForm(machines, (executionArn) => navigate(`#${executionPath(refOf(executionArn))}`)),
    );
  });
  return {
    element,
    refresh: load,
    destroy() {
      alive = false;
    },
  };
}
