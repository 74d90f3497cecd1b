import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../cli/display-width.js';
import { VERDICT_COLUMNS, verdictTable } from '../../cli/run-view.js';
import type { ChartModel } from '../../console/model/chart-model.js';
import { DEFAULT_BUDGETS } from '../../lab/budgets.js';
import { parseLabConfig } from '../../lab/config.js';
import { run as verdict } from '../../lambdas/verdict/core.js';
import { timelineLine } from '../../lambdas/verdict/timeline.js';
import { renderReport } from '../../local-lab/run/report-html.js';
import type { LabSummary } from '../../local-lab/run/run-folder.js';
import { FakeCloud } from '../lambdas/fake-cloud.js';
import { recordLab, STRESS_START } from '../lambdas/instance-moments.js';

const config = parseLabConfig({});
const NO_CHART_DATA: ChartModel = {
  startMs: 0,
  endMs: 1,
  cpu: { instances: [], thresholds: [] },
  capacity: {
    inService: { id: 'in-service', label: 'in service', points: [] },
    healthy: { id: 'healthy', label: 'healthy', points: [] },
  },
  requests: [],
  phases: [],
  activities: [],
};

describe('the run view and the report', () => {
  it('show one line, and one table row, per instance', async () => {
    const cloud = new FakeCloud();
    await recordLab(cloud);
    const out = await verdict(
      {
        executionId: 'e',
        executionName: 'n',
        config,
        state: { lab: config, stress: { startedAt: STRESS_START } },
      },
      { cloud, deployedConfig: config },
    );
    const summary = summaryWith(out);

    const text = verdictTable(summary);
    const html = await renderReport({ summary, chart: NO_CHART_DATA });

    expect(text).toContain('instances (simulated s after the stress start, 2026-01-01T00:10:00.000Z):');
    // Long lines wrap under an indent, so that the verdict fits VERDICT_COLUMNS.
    expect(text.replace(/\n {4}/g, ' ')).toContain(`  ${timelineLine(out.timelines.instances[1]!)}`);
    for (const line of text.split('\n'))
      expect(displayWidth(line), line).toBeLessThanOrEqual(VERDICT_COLUMNS);
    expect(timelineLine(out.timelines.instances[1]!)).toBe(
      'i-second: launch 150 s → launch action waiting 150 s → in service 210 s → healthy 214 s; draining 900 s → terminated 990 s (launch → in service 60 s, draining → terminated 90 s)',
    );
    expect(timelineLine(out.timelines.instances[2]!)).toBe(
      'i-broken: launch 400 s → launch action waiting 400 s → launch FAILED 700 s — its launch action was abandoned (lifecycle hook scalelab-wait-for-app): its app did not answer, or nothing completed the action within 300 s',
    );
    expect(html).toContain('<h2>Instances</h2>');
    expect(html).toContain('<td>i-broken</td><td>400</td><td>400</td><td>—</td><td>—</td><td>700</td>');
  });
});

function summaryWith(out: Awaited<ReturnType<typeof verdict>>): LabSummary {
  return {
    execution: { name: 'n', arn: 'arn', status: 'SUCCEEDED' },
    verdict: out,
    timelines: out.timelines,
    lag: {
      maxStallRealMs: 1,
      p99StallRealMs: 1,
      maxTimerLateRealMs: 1,
      timersFired: 1,
      heldRealMs: 0,
      effectiveTimeScale: 20,
      maxLagSimulatedSeconds: 0,
      toleranceSimulatedSeconds: 10,
      trustworthy: true,
    },
    adapter: 'local',
    timeScale: 20,
    wallSeconds: 1,
    phases: [],
    scalingActivities: [],
    requestsPerInstance: { web: {}, scaling: {} },
    seedCheck: null,
    budgets: DEFAULT_BUDGETS,
    observations: {},
  };
}
