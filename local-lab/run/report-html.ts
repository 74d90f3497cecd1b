import { inlineJson, inlineScript, webBundle } from '../../console/bundle.js';
import type { ChartModel } from '../../console/model/chart-model.js';
import { INSTANCE_MOMENTS } from '../../lambdas/cloud/cloud.js';
import { TIMELINE_LABELS } from '../../lambdas/verdict/timeline.js';
import type { LabSummary } from './run-folder.js';

/** What the report shows: the summary's tables, and the charts drawn from `chart` (chart-data.ts). */
export interface ReportInput {
  summary: LabSummary;
  chart: ChartModel;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** One row per section-2 instance: the simulated second of each moment, and the two durations. */
function timelineTable({ timelines }: LabSummary): string {
  if (!timelines) return '<p>No verdict step ran: no instance timeline.</p>';
  const from = `<p>Simulated seconds after the ${escapeHtml(timelines.from)}${timelines.fromTime ? ` (${escapeHtml(timelines.fromTime)})` : ''}.${timelines.note ? ` ${escapeHtml(timelines.note)}.` : ''}</p>`;
  const rows = timelines.instances.map((row) => [
    row.instanceId,
    ...INSTANCE_MOMENTS.map((m) => (row.seconds[m] === undefined ? '—' : String(row.seconds[m]))),
    row.launchToInServiceSeconds === undefined ? '—' : String(row.launchToInServiceSeconds),
    row.terminatingToTerminatedSeconds === undefined ? '—' : String(row.terminatingToTerminatedSeconds),
  ]);
  const headers = [
    'instance',
    ...INSTANCE_MOMENTS.map((m) => TIMELINE_LABELS[m]),
    'launch → in service s',
    'draining → terminated s',
  ];
  return `${from}${table(headers, rows)}`;
}

/**
 * A self-contained HTML page with the verdict and its evidence: the charts' script and styles
 * (the `report-app` bundle) and their data are inline, so it opens offline and loads nothing.
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const { summary } = input;
  // The charts' script is built on first use: if that fails, the report keeps its verdict and
  // tables and says why the charts are missing, rather than the run losing its report.
  const bundle = await webBundle('report-app').catch((error: unknown) => ({
    js: '',
    css: '',
    failure: error instanceof Error ? error.message : String(error),
  }));
  const verdict = summary.verdict;
  const expectations = table(
    ['expectation', 'held', 'measured', 'budget'],
    verdict.expectations.map((e) => [e.name, e.held ? 'yes' : 'NO', e.measured ?? '—', e.budget]),
  );
  const phases = table(
    ['phase', 'started (simulated)', 'simulated s', 'real s'],
    summary.phases.map((p) => [p.phase, p.simulatedStart, String(p.simulatedSeconds), String(p.realSeconds)]),
  );
  const activities = table(
    ['activity', 'status', 'cause'],
    summary.scalingActivities.map((a) => [a.description ?? '', a.status ?? '', a.cause ?? '']),
  );
  const requests = table(
    ['load balancer', 'instance', 'requests'],
    Object.entries(summary.requestsPerInstance).flatMap(([lb, counts]) =>
      Object.entries(counts).map(([id, n]) => [lb, id, String(n)]),
    ),
  );
  const cost = summary.cost;
  const costLine = cost
    ? `About <b>$${cost.usd.total.toFixed(4)}</b> on AWS (${cost.instanceHours} instance-hours, ${cost.loadBalancerHours} ALB-hours, ${cost.stateTransitions} state transitions; prices of ${cost.pricesAsOf}). ${escapeHtml(cost.assumptions)}.`
    : '';
  const colours = { PASS: '#2ca02c', FAIL: '#d62728', INCONCLUSIVE: '#ff7f0e' } as const;
  const colour = colours[verdict.verdict];
  const { lag } = summary;
  return `<!doctype html><html><head><meta charset="utf-8"><title>scalelab ${escapeHtml(summary.execution.name)}: ${verdict.verdict}</title>
<style>${bundle.css}</style>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}h1 span{color:${colour}}</style></head><body>
<h1>scalelab run ${escapeHtml(summary.execution.name)}: <span>${verdict.verdict}</span></h1>
<p>${escapeHtml(verdict.reason)} — execution ${escapeHtml(summary.execution.status)}, ${summary.wallSeconds} s real at time scale ${summary.timeScale}.</p>
<p>Lag: the event loop stalled ${lag.maxStallRealMs} ms at worst, timers fired up to ${lag.maxTimerLateRealMs} ms late (real): ${lag.maxLagSimulatedSeconds} s simulated, ${lag.trustworthy ? 'within' : 'over'} the ${lag.toleranceSimulatedSeconds} s the model tolerates.</p>
${expectations}
<h2>Charts</h2>${'failure' in bundle ? `<p>The charts could not be built: ${escapeHtml(bundle.failure)}</p>` : '<div id="charts"><noscript>The charts need JavaScript; the tables below hold the figures.</noscript></div>'}
<h2>Instances</h2>${timelineTable(summary)}
<h2>Phases</h2>${phases}
<h2>Scaling activities</h2>${activities}
<h2>Requests per instance</h2>${requests}
<h2>Cost of the same run on AWS</h2><p>${costLine}</p>
<script type="application/json" id="chart-model">${inlineJson(input.chart)}</script>
<script>${inlineScript(bundle.js)}</script>
</body></html>
`;
}
