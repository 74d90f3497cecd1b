import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inlineScript } from '../../console/bundle.js';
import type { ChartModel } from '../../console/model/chart-model.js';
import type { MountedCharts, mountCharts } from '../../console/web/charts.js';
import { type ChartInput, chartModelOf } from '../../local-lab/run/chart-data.js';
import { describeInBrowser, launchBrowser } from '../helpers/browser.js';
import { sampleChartInput } from '../helpers/lab-run-sample.js';

/** The test page's globals: the function under test, and what it returned. */
type ChartsWindow = Window & { mountCharts: typeof mountCharts; charts: MountedCharts };

/** mountCharts on a blank page, as the console calls it: `window.charts` is what it returned. */
async function chartsPage(browser: Browser): Promise<Page> {
  const result = await build({
    stdin: {
      contents: "import { mountCharts } from './charts.ts'; Object.assign(window, { mountCharts });",
      resolveDir: join(import.meta.dirname, '..', '..', 'console', 'web'),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'iife',
    logLevel: 'silent',
  });
  const text = (extension: string) => result.outputFiles.find((f) => f.path.endsWith(extension))?.text ?? '';
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.setContent(
    `<!doctype html><style>${text('.css')}</style><div id="charts"></div><script>${inlineScript(text('.js'))}</script>`,
  );
  return page;
}

/** The sample run as the console sees it `minutes` into the execution. */
function liveModel(input: ChartInput, minutes: number): ChartModel {
  const endMs = input.startMs + minutes * 60_000;
  const phases = input.phases.filter((p) => Date.parse(p.simulatedStart) <= endMs);
  const activities = input.activities.filter((a) => a.startTime && Date.parse(a.startTime) <= endMs);
  return chartModelOf({ ...input, endMs, phases, activities, running: true });
}

describeInBrowser('mountCharts, live', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('updates with newer models, adds a line for a new instance, follows resizes and destroys what it drew', async () => {
    // Prepare: the sample run 8 minutes in (one instance), then 20 minutes in (two).
    const input = sampleChartInput();
    const early = liveModel(input, 8);
    const later = liveModel(input, 20);
    const page = await chartsPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const readout = () =>
      page.evaluate(() =>
        (window.__scalelabCharts?.charts() ?? []).map(({ key, series, xTicks }) => ({
          key,
          lines: series.length,
          points: series.reduce((sum, s) => sum + s.points, 0),
          lastTick: xTicks.at(-1),
        })),
      );

    // Act
    await page.evaluate((model) => {
      const page = window as unknown as ChartsWindow;
      page.charts = page.mountCharts(document.getElementById('charts') as HTMLElement, model);
    }, early);
    const before = await readout();
    await page.evaluate((model) => (window as unknown as ChartsWindow).charts.update(model), later);
    const after = await readout();
    const plotWidth = () =>
      page.evaluate(
        () => document.querySelector('.scalelab-chart .u-over')?.getBoundingClientRect().width ?? 0,
      );
    const wide = await plotWidth();
    await page.setViewportSize({ width: 800, height: 800 });
    await page.waitForFunction((before) => {
      const widths = Array.from(
        document.querySelectorAll('.scalelab-chart .u-over'),
        (over) => over.getBoundingClientRect().width,
      );
      return widths.length === 3 && widths.every((width) => width < before - 300);
    }, wide);
    await page.evaluate(() => (window as unknown as ChartsWindow).charts.destroy());
    const left = await page.evaluate(() => ({
      figures: document.querySelectorAll('.scalelab-chart').length,
      hook: window.__scalelabCharts === undefined,
    }));

    // Assess: the axis grows with the run, the second instance gets its own line.
    const cpu = (rows: typeof before) => rows.find((row) => row.key === 'cpu');
    expect(cpu(before)?.lines).toBe(4); // one instance, the group average, two thresholds
    expect(cpu(after)?.lines).toBe(5);
    for (const key of ['cpu', 'capacity', 'requests']) {
      const [b, a] = [before, after].map((rows) => rows.find((row) => row.key === key));
      expect(a?.points, key).toBeGreaterThan(b?.points ?? 0);
      expect(Number.parseFloat(b?.lastTick ?? ''), key).toBeGreaterThanOrEqual(7);
      expect(Number.parseFloat(b?.lastTick ?? ''), key).toBeLessThanOrEqual(8);
      expect(a?.lastTick, key).toBe('20 min');
    }
    expect(left).toEqual({ figures: 0, hook: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
