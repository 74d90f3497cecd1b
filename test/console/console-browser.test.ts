/**
 * The console in a real headless Chromium (issue 18): start the lab from the form and watch its
 * states turn green on the graph, stop it with the button; fail the demo state machine and redrive
 * it with the button; a bad input's error beside its field. One browser for the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerDemo, registerLab, type ServeContext } from '../../cli/executions/serve.js';
import { labAtRest, type ServeFixture, serveForTest } from '../cli/executions/helpers.js';
import { describeInBrowser, launchBrowser } from '../helpers/browser.js';

/**
 * Fast enough that the lab reaches its warm-up in seconds, slow enough (a lab lasts about a real
 * minute) that a loaded CI runner still stops it before it ends.
 */
const LAB_TIME_SCALE = 30;
const STEP_MS = 30_000;

describeInBrowser('the console in Chromium', () => {
  let browser: Browser;
  let lab: ServeFixture;
  let labContext: ServeContext;
  let demo: ServeFixture;
  const logDir = mkdtempSync(join(tmpdir(), 'scalelab-console-browser-'));
  const pages: Page[] = [];

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    pages.push(page);
    const offSite: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(url.replace(/\/console\/$/, ''))) offSite.push(request.url());
    });
    await page.goto(url);
    await page.locator('form.start-form').waitFor({ timeout: STEP_MS });
    expect(offSite).toEqual([]);
    return page;
  }

  /** The graph's status of `state`, once it is `status`. */
  function stateIs(page: Page, state: string, status: string) {
    return page
      .locator(`svg.graph [data-state="${state}"][data-status="${status}"]`)
      .waitFor({ timeout: STEP_MS });
  }

  beforeAll(async () => {
    [browser, lab, demo] = await Promise.all([
      launchBrowser(),
      serveForTest(async (served) => {
        labContext = served;
        return registerLab(logDir, join(logDir, 'runs'))(served);
      }, LAB_TIME_SCALE),
      serveForTest(registerDemo, 1000),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const page of pages) await page.close().catch(() => undefined);
    await browser?.close();
    await lab?.close();
    await demo?.close();
    rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  it('starts the lab from the form, colours its states as it runs, and stops it with the button', async () => {
    const page = await open(lab.serve.consoleUrl);
    const input = await page.locator('textarea[name=input]').inputValue();
    expect(JSON.parse(input)).toMatchObject({ config: { timeScale: LAB_TIME_SCALE } });
    await page.fill('input[name=name]', 'lab-b');
    await page.click('button[type=submit]');

    await page.waitForURL(/#\/executions\/lab-lifecycle\/lab-b$/, { timeout: STEP_MS });
    for (const state of ['Validate', 'Provision', 'CheckHealth', 'VerifyLoadBalancing'])
      await stateIs(page, state, 'succeeded');
    // Warm-up or, on a slow machine, a later step: one state runs at a time.
    await page.locator('svg.graph [data-status="in-progress"]').waitFor({ timeout: STEP_MS });
    await expect(page.locator('svg.graph [data-state="TearDown"]').getAttribute('data-status')).resolves.toBe(
      'not-started',
    );
    // Drawn to fit its column; a click shows the actual size (the box scrolls), another fits it again.
    const graphWidth = () => page.locator('svg.graph').evaluate((svg) => svg.getBoundingClientRect().width);
    const boxWidth = await page.locator('.graph-box').evaluate((box) => box.getBoundingClientRect().width);
    const layoutWidth = Number(await page.locator('svg.graph').getAttribute('width'));
    expect(await graphWidth()).toBeLessThanOrEqual(boxWidth);
    await page.click('.graph-box');
    expect(await graphWidth()).toBeCloseTo(layoutWidth, 0);
    expect(layoutWidth).toBeGreaterThan(boxWidth);
    await page.click('.graph-box');
    expect(await graphWidth()).toBeLessThanOrEqual(boxWidth);
    expect(await page.locator('svg.graph .edge.kind-catch').count()).toBeGreaterThan(5);
    expect(await page.locator('table.history tbody tr').count()).toBeGreaterThan(10);
    await page
      .locator('table.activities', { hasText: 'Launching a new EC2 instance' })
      .waitFor({ timeout: STEP_MS });

    await page.click('button:has-text("Stop")');
    await page.locator('header .status', { hasText: 'ABORTED' }).waitFor({ timeout: STEP_MS });
    // The state that was running when it stopped is the one that failed; none runs any more.
    await page.locator('svg.graph [data-status="failed"]').waitFor({ timeout: STEP_MS });
    expect(await page.locator('svg.graph [data-status="failed"]').count()).toBe(1);
    expect(await page.locator('svg.graph [data-status="in-progress"]').count()).toBe(0);
    expect(await page.locator('button:has-text("Stop")').isDisabled()).toBe(true);
    expect(await page.locator('button:has-text("Redrive")').isDisabled()).toBe(false);
    // The stop's tear-down (on-execution-end) leaves nothing running for the next test.
    await labAtRest(labContext);

    await page.click('text=← executions');
    await page
      .locator('table.list tr[data-execution="lab-b"]', { hasText: 'ABORTED' })
      .waitFor({ timeout: STEP_MS });
  }, 90_000);

  it('shows a bad input beside its field, then fails the demo and redrives it with the button', async () => {
    const page = await open(demo.serve.consoleUrl);
    await page.fill('input[name=name]', 'demo-b');
    await page.fill('textarea[name=input]', '{"failOnce": ');
    await page.click('button[type=submit]');
    await expect(page.locator('[data-error-for=input]').textContent({ timeout: STEP_MS })).resolves.toMatch(
      /^input is not JSON: /,
    );
    expect(page.url()).not.toContain('#/executions/');

    await page.fill('textarea[name=input]', '{"failOnce": "Observe"}');
    await page.click('button[type=submit]');
    await page.waitForURL(/#\/executions\/scalelab-demo\/demo-b$/, { timeout: STEP_MS });
    await page.locator('header .status', { hasText: 'FAILED' }).waitFor({ timeout: STEP_MS });
    await stateIs(page, 'Observe', 'failed');
    await stateIs(page, 'Provision', 'succeeded');

    await page.click('button:has-text("Redrive")');
    await page.locator('header .status', { hasText: 'SUCCEEDED' }).waitFor({ timeout: STEP_MS });
    await stateIs(page, 'Observe', 'succeeded');
    await stateIs(page, 'Done', 'succeeded');
    await expect(page.locator('.facts').textContent()).resolves.toContain('redriven 1×');
  }, 60_000);
});
