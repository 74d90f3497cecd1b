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

/** A state's colour changes on the page: `[state, status, page clock ms]`, in order. */
type Changes = [string, string, number][];

/**
 * ms from each state entry to the page changing that state's colour, once the page shows the
 * running execution (its first draw is not a state change reaching it; drawing the charts when
 * their first data comes, later, is counted).
 */
async function stateChangeDelays(serve: Served, executablePath: string): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The page first, then the lab: the lab's first seconds (its health loop) are watched too.
    await page.goto(`${serve.consoleUrl}#/executions/lab-lifecycle/bench-console`);
    await page.locator('svg.graph').waitFor({ timeout: 60_000 });
    await fetch(`${serve.consoleUrl}api/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stateMachine: 'lab-lifecycle', name: 'bench-console', input: '{}' }),
    });
    await page.locator('header .status', { hasText: 'RUNNING' }).waitFor({ timeout: 60_000 });
    await page.evaluate(() => {
      const changes: [string, string, number][] = [];
      (window as unknown as { changes: [string, string, number][] }).changes = changes;
      new MutationObserver((records) => {
        for (const record of records) {
          const target = record.target as Element;
          changes.push([
            target.getAttribute('data-state') ?? '',
            target.getAttribute('data-status') ?? '',
            Date.now(),
          ]);
        }
      }).observe(document.querySelector('svg.graph') as Element, {
        attributes: true,
        subtree: true,
        attributeFilter: ['data-status'],
      });
    });
    const since = Date.now();
    const changes = () => page.evaluate(() => (window as unknown as { changes: Changes }).changes);
    await waitUntil(
      async () =>
        (await changes()).some(([state, status]) => state === WATCH_UNTIL && status !== 'not-started'),
      `the console to show ${WATCH_UNTIL}`,
      180_000,
    );
    const seen = await changes();
    const view = (await (
      await fetch(`${serve.consoleUrl}api/executions/lab-lifecycle/bench-console`)
    ).json()) as ExecutionView;
    // Each state's first entry: a state of the health loop entered again and left between two
    // looks keeps its colour, so a later entry has no change of its own to time.
    const entered = new Map<string, number>();
    for (const row of view.history)
      if (row.type.endsWith('StateEntered') && row.state && !entered.has(row.state))
        entered.set(row.state, Date.parse(row.realTime));
    const delays: number[] = [];
    for (const [state, at] of entered) {
      if (at < since) continue;
      const shown = seen.find(([changed, , when]) => changed === state && when >= at);
      if (shown) delays.push(shown[2] - at);
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
    if (!executablePath) {
      report({
        name: 'console: state change to page (median)',
        value: 0,
        unit: 'ms',
        note: 'no chromium: not measured',
      });
      return;
    }
    const delays = await stateChangeDelays(serve, executablePath);
    const median = quantile(delays, 0.5);
    report({
      name: `console: state change to page, lab at time scale ${DEFAULT_LAB_CONFIG.timeScale} (median)`,
      value: Math.round(median),
      unit: 'ms',
      goal: `<= ${GOAL_MS} ms`,
      met: median <= GOAL_MS,
      note: `first entry of ${delays.length} states up to ${WATCH_UNTIL}, from the history event's real time to the graph's change in Chromium, once the page showed the execution; p90 ${Math.round(quantile(delays, 0.9))} ms`,
    });
  } finally {
    await serve.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
};
