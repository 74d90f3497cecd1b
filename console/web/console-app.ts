/// <reference lib="dom" />
/**
 * The web console (issue 18): the executions list and start form at `#/`, one execution at
 * `#/executions/<state machine>/<name>`. One server-sent event stream tells the page which
 * execution changed; the page then fetches what it shows.
 */
import './console.css';
import type { ExecutionChanged } from '../model/console-api.js';
import { BASE, type ExecutionRef } from './api.js';
import { h } from './dom.js';
import { executionPage } from './execution-page.js';
import { listPage, type Page } from './list-page.js';

const app = document.getElementById('app') as HTMLElement;
const main = h('main', {});
const live = h('span', { class: 'live', title: 'live updates' }, 'connecting…');
app.replaceChildren(
  h('header', { class: 'top' }, h('h1', {}, h('a', { href: '#/' }, 'scalelab console')), live),
  main,
);

let page: Page | undefined;

function navigate(hash: string): void {
  if (location.hash === hash) render();
  else location.hash = hash;
}

/** The execution a hash names (`#/executions/<state machine>/<name>`), if it names one. */
function executionRefOf(hash: string): ExecutionRef | undefined {
  const match = /^#\/executions\/([^/]+)\/([^/]+)$/.exec(hash);
  if (!match) return undefined;
  return { machine: decodeURIComponent(match[1] ?? ''), name: decodeURIComponent(match[2] ?? '') };
}

function render(): void {
  page?.destroy();
  const ref = executionRefOf(location.hash);
  page = ref ? executionPage(ref, navigate) : listPage(navigate);
  main.replaceChildren(page.element);
}

window.addEventListener('hashchange', render);
render();

const events = new EventSource(`${BASE}/api/events`);
events.addEventListener('open', () => {
  live.textContent = '● live';
  live.className = 'live on';
  page?.refresh(); // anything missed while the stream was down
});
events.addEventListener('error', () => {
  live.textContent = '○ reconnecting';
  live.className = 'live';
});
events.addEventListener('execution', (event) => {
  const change = JSON.parse((event as MessageEvent<string>).data) as ExecutionChanged;
  page?.refresh(change.executionArn);
});
