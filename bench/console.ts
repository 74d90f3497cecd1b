/**
 * Issue 18's figures: the console's page weight, and how long a state change of a running lab
 * takes to show on its page (from the history event's real time to the graph's attribute
 * changing in Chromium), at the default time scale. Needs Debian's chromium (as the browser
 * tests do); without it only the weight is measured.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { registerLab, startServe } from '../cli/executions/serve.js';
import type { ExecutionView } from '../console/model/console-api.js';
import { DEFAULT_LAB_CONFIG } from '../lab/config.js';
import type { Bench } from './bench-row.js';
import { quantile } from './stats.js';
import { waitUntil } from './wait.js';

/** The lab is watched until this state shows: the first seven phases, about 20 s at time scale 20. */
const WATCH_UNTIL = 'ObserveScaleOut';
const GOAL_MS = 250;

function chromiumPath(): string | undefined {
  const named = process.env.SCALELAB_CHROMIUM ?? 'chromium';
  if (named.includes('/')) return named;
  try {
    return execFileSync('sh', ['-c', `command -v ${named}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

interface Served {
  consoleUrl: string;
  url: string;
}

async function pageWeightKb(serve: Served): Promise<{ html: number; js: number; css: number }> {
  const html = await (await fetch(serve.consoleUrl)).text();
  const size = async (path: string | undefined) =>
    (await (await fetch(`${serve.url}${path ?? ''}`)).arrayBuffer()).byteLength / 1024;
  return {
    html: html.length / 1024,
    js: await size(/<script src="([^"]+)"/.exec(html)?.[1]),
    css: await size(/<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1]),
  };
}

/** What the page showed and when (its clock is this machine's): graph colours and history rows. */
interface Shown {
  /** `[state, status, ms]`: a state's colour changed. */
  colours: [string, string, number][];
  /** `[history event id, ms]`: the event's row appeared in the history table. */
  rows: [number, number][];
}

/** Records every colour change of the graph and every row added to the history table. */
function recordWhatThePageShows(): void {
  const shown: Shown = { colours: [], rows: [] };
  (window as unknown as { shown: Shown }).shown = shown;
  new MutationObserver((records) => {
    const now = Date.now();
    for (const record of records) {
      if (record.type === 'attributes') {
        const target = record.target as Element;
        shown.colours.push([
          target.getAttribute('data-state') ?? '',
          target.getAttribute('data-status') ?? '',
          now,
        ]);
      }
      record.addedNodes.forEach((node) => {
        const id = node instanceof Element ? node.getAttribute('data-event-id') : null;
        if (id !== null) shown.rows.push([Number(id), now]);
      });
    }
  }).observe(document.body, {
    attributes: true,
    subtree: true,
    childList: true,
    attributeFilter: ['data-status'],
  });
}

interface Delays {
  /** ms from each history event being written to its row showing. */
  rows: number[];
  /** ms from each state's first entry to its colour changing on the graph. */
  colours: number[];
}

/**
 * How long what the running lab does takes to show on its page, once the page shows the
 * execution (its first draw is not a change reaching it): every history event's row, and each
 * state's first colour change (a state of the health loop entered again and left between two
 * looks keeps its colour, so only first entries have a change of their own to time).
 */
async function stateChangeDelays(serve: Served, executablePath: string): Promise<Delays> {
  const browser = await chromium.launch({
    executablePath,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The page first, then the lab: the lab's first seconds (its health loop) are watched too.
    await page.goto(`${serve.consoleUrl}#/executions/lab-lifecycle/bench-console`);
    await page.locator('svg.graph').waitFor({ timeout: 60_000 });
    await page.evaluate(recordWhatThePageShows);
    const since = Date.now();
    await fetch(`${serve.consoleUrl}api/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stateMachine: 'lab-lifecycle', name: 'bench-console', input: '{}' }),
    });
    const shown = () => page.evaluate(() => (window as unknown as { shown: Shown }).shown);
    await waitUntil(
      async () =>
        (await shown()).colours.some(([state, status]) => state === WATCH_UNTIL && status !== 'not-started'),
      `the console to show ${WATCH_UNTIL}`,
      180_000,
    );
    const seen = await shown();
    const view = (await (
      await fetch(`${serve.consoleUrl}api/executions/lab-lifecycle/bench-console`)
    ).json()) as ExecutionView;
    const rowShown = new Map(seen.rows);
    const delays: Delays = { rows: [], colours: [] };
    const entered = new Map<string, number>();
    for (const row of view.history) {
      const written = Date.parse(row.realTime);
      const at = rowShown.get(Number(row.id));
      if (written >= since && at !== undefined) delays.rows.push(at - written);
      if (row.type.endsWith('StateEntered') && row.state && !entered.has(row.state))
        entered.set(row.state, written);
    }
    for (const [state, at] of entered) {
      if (at < since) continue;
      const changed = seen.colours.find(([name, , when]) => name === state && when >= at);
      if (changed) delays.colours.push(changed[2] - at);
    }
    return delays;
  } finally {
    await browser.close();
    await fetch(`${serve.consoleUrl}api/executions/lab-lifecycle/bench-console/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  }
}

export const consoleBench: Bench = async (report) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'scalelab-bench-console-'));
  const serve = await startServe({
    port: 0,
    stateDir,
    config: DEFAULT_LAB_CONFIG,
    register: registerLab(stateDir, join(stateDir, 'runs')),
  });
  try {
    const weight = await pageWeightKb(serve);
    report({
      name: 'console page weight (HTML + script + stylesheet, uncompressed)',
      value: Number((weight.html + weight.js + weight.css).toFixed(1)),
      unit: 'KB',
      note: `script ${weight.js.toFixed(1)} KB (uPlot included), stylesheet ${weight.css.toFixed(1)} KB, HTML ${weight.html.toFixed(1)} KB; nothing else is loaded`,
    });
    const executablePath = chromiumPath();
    // Without a browser there is nothing to time: say so on stderr rather than a row with no figure.
    if (!executablePath) {
      process.stderr.write('  console: no chromium, the state change to page delay is not measured\n');
      return;
    }
    const delays = await stateChangeDelays(serve, executablePath);
    const median = quantile(delays.rows, 0.5);
    report({
      name: `console: state change to page, lab at time scale ${DEFAULT_LAB_CONFIG.timeScale} (median)`,
      value: Math.round(median),
      unit: 'ms',
      goal: `<= ${GOAL_MS} ms`,
      met: median <= GOAL_MS,
      note: `${delays.rows.length} history events up to ${WATCH_UNTIL}, from the event's real time to its row in Chromium's page, p90 ${Math.round(quantile(delays.rows, 0.9))} ms; the graph's colour, first entry of ${delays.colours.length} states: median ${Math.round(quantile(delays.colours, 0.5))} ms`,
    });
  } finally {
    await serve.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
};
