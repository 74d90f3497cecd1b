import { AUTO_SCALING_DETAIL_TYPES, AUTO_SCALING_EVENT_SOURCE } from '../../lab/aws-facts.js';
import { INSTANCE_MOMENTS } from '../../lambdas/cloud/cloud.js';
import { TIMELINE_LABELS } from '../../lambdas/verdict/timeline.js';
import type { MetricSample } from '../../local/cloudwatch/index.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import type { LabSummary } from './run-folder.js';

/** Everything the report draws, in simulated epoch ms. */
export interface ReportInput {
  summary: LabSummary;
  samples: readonly MetricSample[];
  events: readonly EventBridgeEvent[];
  startMs: number;
  endMs: number;
  targetCpu: number;
}

const WIDTH = 900;
const HEIGHT = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function scaler(input: ReportInput, maxY: number) {
  const span = Math.max(1, input.endMs - input.startMs);
  const x = (ms: number) => PAD.left + ((ms - input.startMs) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => HEIGHT - PAD.bottom - (value / maxY) * (HEIGHT - PAD.top - PAD.bottom);
  return { x, y };
}

function polyline(points: [number, number][], colour: string, width = 1.5, dash = ''): string {
  const d = points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  return `<polyline fill="none" stroke="${colour}" stroke-width="${width}" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${d}"/>`;
}

/** Phase boundaries as labelled vertical lines, so every chart shows where the lab was. */
function phaseMarks(input: ReportInput): string {
  const { x } = scaler(input, 1);
  return input.summary.phases
    .map((phase) => {
      const px = x(Date.parse(phase.simulatedStart)).toFixed(1);
      return `<line x1="${px}" x2="${px}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#bbb"/><text x="${px}" y="${HEIGHT - 8}" font-size="9" transform="rotate(-20 ${px} ${HEIGHT - 8})">${escapeHtml(phase.phase)}</text>`;
    })
    .join('');
}

function axis(label: string, maxY: number, input: ReportInput): string {
  const { y } = scaler(input, maxY);
  const ticks = [0, maxY / 2, maxY]
    .map((v) => `<text x="4" y="${y(v) + 3}" font-size="10">${Math.round(v)}</text>`)
    .join('');
  return `${ticks}<text x="${PAD.left}" y="10" font-size="11" font-weight="bold">${escapeHtml(label)}</text>`;
}

function cpuChart(input: ReportInput): string {
  const { x, y } = scaler(input, 100);
  const byInstance = new Map<string, [number, number][]>();
  const group: [number, number][] = [];
  for (const s of input.samples) {
    if (s.metricName !== 'CPUUtilization') continue;
    const point: [number, number] = [x(s.timestamp), y(Math.min(100, s.value))];
    const id = s.dimensions.InstanceId;
    if (id) byInstance.set(id, [...(byInstance.get(id) ?? []), point]);
    else if (s.dimensions.AutoScalingGroupName) group.push(point);
  }
  const lines = [...byInstance.values()].map((points, i) =>
    polyline(points, COLOURS[i % COLOURS.length] ?? '#000', 1),
  );
  const target = polyline(
    [
      [x(input.startMs), y(input.targetCpu)],
      [x(input.endMs), y(input.targetCpu)],
    ],
    '#d62728',
    1,
    '6 4',
  );
  const svg = `${phaseMarks(input)}${lines.join('')}${polyline(group, '#000', 2.5)}${target}${axis('CPU % per instance (thin), group average counted by the policy (thick), target (dashed)', 100, input)}`;
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%">${svg}</svg>`;
}

/** In-service count over time, from the group's launch and terminate events. */
function capacityChart(input: ReportInput): string {
  const { x, y } = scaler(input, 4);
  let count = 0;
  const points: [number, number][] = [[x(input.startMs), y(0)]];
  for (const event of input.events) {
    if (event.source !== AUTO_SCALING_EVENT_SOURCE) continue;
    const at = x(Date.parse(event.time));
    points.push([at, y(count)]);
    if (event['detail-type'] === AUTO_SCALING_DETAIL_TYPES.launchSuccessful) count++;
    if (event['detail-type'] === AUTO_SCALING_DETAIL_TYPES.terminateSuccessful) count--;
    points.push([at, y(count)]);
  }
  points.push([x(input.endMs), y(count)]);
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%">${phaseMarks(input)}${polyline(points, '#2ca02c', 2)}${axis('instances in service in the Auto Scaling group', 4, input)}</svg>`;
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

/** A self-contained HTML page (no scripts, no external assets) with the verdict and its evidence. */
export function renderReport(input: ReportInput): string {
  const { summary } = input;
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
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}h1 span{color:${colour}}</style></head><body>
<h1>scalelab run ${escapeHtml(summary.execution.name)}: <span>${verdict.verdict}</span></h1>
<p>${escapeHtml(verdict.reason)} — execution ${escapeHtml(summary.execution.status)}, ${summary.wallSeconds} s real at time scale ${summary.timeScale}.</p>
<p>Lag: the event loop stalled ${lag.maxStallRealMs} ms at worst, timers fired up to ${lag.maxTimerLateRealMs} ms late (real): ${lag.maxLagSimulatedSeconds} s simulated, ${lag.trustworthy ? 'within' : 'over'} the ${lag.toleranceSimulatedSeconds} s the model tolerates.</p>
${expectations}
<h2>CPU</h2>${cpuChart(input)}
<h2>Capacity</h2>${capacityChart(input)}
<h2>Instances</h2>${timelineTable(summary)}
<h2>Phases</h2>${phases}
<h2>Scaling activities</h2>${activities}
<h2>Requests per instance</h2>${requests}
<h2>Cost of the same run on AWS</h2><p>${costLine}</p>
</body></html>
`;
}
