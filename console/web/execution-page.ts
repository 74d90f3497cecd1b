/// <reference lib="dom" />
/**
 * One execution: its graph coloured state by state, the Stop / Replay / Redrive buttons, the
 * verdict, the scaling activities, the charts and the event history, refreshed when the live
 * stream says it changed (and every second while it runs, for the charts).
 */
import type { ExecutionView, ScalingActivityRow, VerdictTable } from '../model/console-api.js';
import { api, type ExecutionRef, executionPath, refOf } from './api.js';
import { type MountedCharts, mountCharts } from './charts.js';
import { h, humanSeconds, replaceChildren, shortDate } from './dom.js';
import { type GraphView, mountGraph } from './graph.js';
import { historyTable } from './history-table.js';
import type { Page } from './list-page.js';

/** While it runs, the charts move even when no state changes. */
const RUNNING_REFRESH_MS = 1000;

function verdictSection(verdict: VerdictTable | undefined, running: boolean): Node {
  if (!verdict)
    return h('p', { class: 'muted' }, running ? 'judged when the lab ends' : 'no verdict (not the lab)');
  return h(
    'div',
    {},
    h(
      'p',
      {},
      h('span', { class: `verdict verdict-${verdict.verdict.toLowerCase()}` }, verdict.verdict),
      verdict.labVerdict ? ` (the lab said ${verdict.labVerdict})` : '',
      verdict.reason ? ` ${verdict.reason}` : '',
    ),
    verdict.expectations.length === 0
      ? ''
      : h(
          'table',
          { class: 'verdict-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, ''),
              h('th', {}, 'expectation'),
              h('th', {}, 'measured'),
              h('th', {}, 'budget'),
            ),
          ),
          h(
            'tbody',
            {},
            ...verdict.expectations.map((e) =>
              h(
                'tr',
                { class: e.held ? 'held' : 'not-held' },
                h('td', {}, e.held ? '✔ held' : '✘ NOT held'),
                h('td', {}, e.name),
                h('td', {}, e.measured ?? 'never measured'),
                h('td', {}, e.budget),
              ),
            ),
          ),
        ),
    h(
      'p',
      { class: 'muted' },
      `from the ${verdict.source}${verdict.runFolder ? ` ${verdict.runFolder}` : ''}`,
    ),
  );
}

function activitiesSection(activities: readonly ScalingActivityRow[]): Node {
  if (activities.length === 0) return h('p', { class: 'muted' }, 'no scaling activity yet');
  return h(
    'table',
    { class: 'activities' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'start (simulated)'), h('th', {}, 'status'), h('th', {}, 'activity and cause')),
    ),
    h(
      'tbody',
      {},
      ...activities.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, shortDate(a.startTime)),
          h('td', {}, a.status ?? ''),
          h('td', {}, h('div', {}, a.description ?? ''), h('div', { class: 'muted' }, a.cause ?? '')),
        ),
      ),
    ),
  );
}

/**
 * The graph's box: the lab's graph is drawn to fit its column, which makes its labels small; a
 * click shows it at its actual size, scrolled to the state running (or the one failed), and
 * another click fits it again.
 */
function zoomableGraphBox(): HTMLElement {
  const box = h('div', { class: 'graph-box', title: 'click for the actual size; click again to fit' });
  box.addEventListener('click', () => {
    if (!box.classList.toggle('actual-size')) return;
    box
      .querySelector('[data-status="in-progress"], [data-status="failed"]')
      ?.scrollIntoView({ block: 'center', inline: 'center' });
  });
  return box;
}

export function executionPage(ref: ExecutionRef, navigate: (hash: string) => void): Page {
  const title = h('h2', {}, ref.name);
  const arnSuffix = `:execution:${ref.machine}:${ref.name}`;
  const status = h('span', { class: 'status' });
  const facts = h('p', { class: 'facts' });
  const message = h('div', { class: 'action-message', role: 'status' });
  const buttons = {
    stop: h('button', { type: 'button', disabled: true }, 'Stop'),
    replay: h('button', { type: 'button', disabled: true }, 'Replay'),
    redrive: h('button', { type: 'button', disabled: true }, 'Redrive'),
  };
  const graphBox = zoomableGraphBox();
  const verdictBox = h('div', {});
  const activitiesBox = h('div', {});
  const chartsBox = h(
    'div',
    { class: 'charts', 'data-charts': 'none' },
    h('p', { class: 'muted' }, 'no charts for this execution'),
  );
  const history = historyTable();
  const element = h(
    'div',
    { class: 'execution-page' },
    h('p', {}, h('a', { href: '#/' }, '← executions')),
    h(
      'header',
      {},
      title,
      status,
      h('div', { class: 'buttons' }, buttons.stop, buttons.replay, buttons.redrive),
      message,
    ),
    facts,
    h(
      'div',
      { class: 'columns' },
      h('section', { class: 'graph-section' }, h('h3', {}, 'Graph'), graphBox),
      h(
        'div',
        { class: 'side' },
        h('section', {}, h('h3', {}, 'Charts'), chartsBox),
        h('section', {}, h('h3', {}, 'Verdict'), verdictBox),
        h('section', {}, h('h3', {}, 'Scaling activities'), activitiesBox),
      ),
    ),
    h('section', {}, h('h3', {}, 'Event history'), history.element),
  );

  let graph: GraphView | undefined;
  let charts: MountedCharts | undefined;
  let alive = true;
  let loading = false;
  let again = false;
  let timer: number | undefined;

  function show(view: ExecutionView): void {
    const { execution } = view;
    status.textContent = execution.status;
    status.className = `status status-${execution.status.toLowerCase()}`;
    replaceChildren(
      facts,
      `${execution.stateMachine} · started ${shortDate(execution.startDate)} (simulated) · ${humanSeconds(execution.durationSeconds)}`,
      execution.redriveCount > 0 ? ` · redriven ${execution.redriveCount}×` : '',
      execution.error ? ` · ${execution.error}${execution.cause ? `: ${execution.cause}` : ''}` : '',
    );
    buttons.stop.disabled = !view.can.stop;
    buttons.redrive.disabled = !view.can.redrive;
    buttons.replay.disabled = !view.can.replay;
    graph?.setStatuses(view.states);
    replaceChildren(verdictBox, verdictSection(view.verdict, execution.status === 'RUNNING'));
    replaceChildren(activitiesBox, activitiesSection(view.scalingActivities));
    history.append(view.history);
    if (view.chart && charts) charts.update(view.chart);
    else if (view.chart) {
      chartsBox.replaceChildren();
      chartsBox.dataset.charts = 'drawn';
      charts = mountCharts(chartsBox, view.chart);
    }
    window.clearTimeout(timer);
    if (execution.status === 'RUNNING') timer = window.setTimeout(refresh, RUNNING_REFRESH_MS);
  }

  function refresh(): void {
    if (!alive) return;
    if (loading) {
      again = true; // one more once this one is in: never two at once, never a change missed
      return;
    }
    loading = true;
    api
      .execution(ref, history.lastId())
      .then((view) => alive && show(view))
      .catch((error: unknown) => {
        message.textContent = String((error as Error).message);
      })
      .finally(() => {
        loading = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  function act(
    button: HTMLButtonElement,
    run: () => Promise<unknown>,
    done: (result: unknown) => void,
  ): void {
    button.addEventListener('click', () => {
      button.disabled = true;
      message.textContent = '';
      run()
        .then(done)
        .catch((error: unknown) => {
          message.textContent = String((error as Error).message);
        })
        .finally(refresh);
    });
  }
  act(
    buttons.stop,
    () => api.stop(ref),
    () => {
      message.textContent = 'stopped; the lab tears itself down on the status change';
    },
  );
  act(
    buttons.redrive,
    () => api.redrive(ref),
    () => {
      message.textContent = 'redriven from the step that did not succeed';
    },
  );
  act(
    buttons.replay,
    () => api.replay(ref),
    (result) => {
      const { executionArn: replayArn } = result as { executionArn: string };
      navigate(`#${executionPath(refOf(replayArn))}`);
    },
  );

  void api.stateMachines().then((machines) => {
    const machine = machines.find((m) => m.name === ref.machine);
    if (!alive || !machine) return;
    graph = mountGraph(graphBox, machine.graph);
    refresh();
  });

  return {
    element,
    refresh(changedArn) {
      if (changedArn === undefined || changedArn.endsWith(arnSuffix)) refresh();
    },
    destroy() {
      alive = false;
      window.clearTimeout(timer);
      charts?.destroy();
    },
  };
}
