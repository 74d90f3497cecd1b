import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChartReadout } from '../../console/web/charts.js';
import { chartModelOf } from '../../local-lab/run/chart-data.js';
import { renderReport } from '../../local-lab/run/report-html.js';
import { describeInBrowser, launchBrowser } from '../helpers/browser.js';
import { sampleChartInput, sampleSummary } from '../helpers/lab-run-sample.js';

interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface FigureBoxes {
  chart: string;
  phaseLabels: Box[];
  legend: Box[];
  plot: { left: number; right: number };
}

/** The pairs of boxes that overlap (by more than a rounding pixel), named by their text. */
function overlaps(boxes: readonly Box[]): string[] {
  const found: string[] = [];
  boxes.forEach((a, i) => {
    for (const b of boxes.slice(i + 1)) {
      const apart =
        a.right <= b.left + 0.5 ||
        b.right <= a.left + 0.5 ||
        a.bottom <= b.top + 0.5 ||
        b.bottom <= a.top + 0.5;
      if (!apart) found.push(`${a.text} × ${b.text}`);
    }
  });
  return found;
}

describeInBrowser('report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'scalelab-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws three charts with data, time axes and legends, phase names apart, and loads nothing', async () => {
    // Prepare: a report written from a real run's summary and samples matching it.
    const summary = sampleSummary();
    const html = await renderReport({ summary, chart: chartModelOf(sampleChartInput(summary)) });
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(String(error)));

    // Act
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => window.__scalelabCharts?.charts().length === 3, undefined, {
      timeout: 15_000,
    });
    const charts: ChartReadout[] = await page.evaluate(() => window.__scalelabCharts?.charts() ?? []);
    const figures: FigureBoxes[] = await page.evaluate(() => {
      const box = (element: Element) => {
        const { left, right, top, bottom } = element.getBoundingClientRect();
        return { text: element.textContent ?? '', left, right, top, bottom };
      };
      return Array.from(document.querySelectorAll('.scalelab-chart')).map((figure) => {
        const over = figure.querySelector('.u-over')?.getBoundingClientRect();
        return {
          chart: (figure as HTMLElement).dataset.chart ?? '',
          phaseLabels: Array.from(figure.querySelectorAll('.phase-label')).map(box),
          legend: Array.from(figure.querySelectorAll('.u-legend .u-series')).map(box),
          plot: { left: over?.left ?? 0, right: over?.right ?? 0 },
        };
      });
    });

    // Assess: every line that has data in the run is drawn with it.
    const points = (key: string) =>
      Object.fromEntries(charts.find((c) => c.key === key)?.series.map((s) => [s.label, s.points]) ?? []);
    const instances = summary.scalingActivities.filter((a) => a.description?.startsWith('Launching'));
    const cpu = points('cpu');
    expect(Object.keys(cpu)).toHaveLength(instances.length + 3);
    for (const [label, count] of Object.entries(cpu)) expect(count, label).toBeGreaterThan(1);
    expect(points('capacity')).toEqual({
      'in service': expect.any(Number),
      'healthy targets': expect.any(Number),
    });
    for (const count of [...Object.values(points('capacity')), ...Object.values(points('requests'))])
      expect(count).toBeGreaterThan(3);
    expect(Object.keys(points('requests'))).toEqual(['web (section 1)', 'scaling (section 2)']);
    // The x axes read in simulated minutes from the start, across the whole run.
    for (const chart of charts) {
      expect(chart.xTicks[0], chart.title).toBe('0 min');
      expect(chart.xTicks.length, chart.title).toBeGreaterThanOrEqual(4);
      for (const tick of chart.xTicks) expect(tick).toMatch(/^\d+(\.\d)? min$/);
    }
    // Phase names and legend entries are laid out apart, within the plot's width.
    for (const figure of figures) {
      expect(figure.phaseLabels.length, figure.chart).toBeGreaterThanOrEqual(5);
      expect(figure.legend.length, figure.chart).toBeGreaterThanOrEqual(3);
      expect(overlaps([...figure.phaseLabels, ...figure.legend]), figure.chart).toEqual([]);
      for (const label of figure.phaseLabels) {
        expect(label.left, label.text).toBeGreaterThanOrEqual(figure.plot.left - 0.5);
        expect(label.right, label.text).toBeLessThanOrEqual(figure.plot.right + 0.5);
      }
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  }, 30_000);
});
