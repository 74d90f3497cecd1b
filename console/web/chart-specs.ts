/**
 * What each of the lab's three charts draws, from the chart model: its title and caption (what
 * each line is and where it comes from), and its lines as `[x, y]` tables with x in simulated
 * minutes from the execution's start. No DOM and no uPlot here: charts.ts turns a spec into a plot.
 */
import type { ChartModel, ChartSeries, ChartThreshold } from '../model/chart-model.js';

export type ChartKey = 'cpu' | 'capacity' | 'requests';

/**
 * How a line is drawn: a sampled value, a value held until the next (steps; wide ones stay
 * visible under a line that often equals them), or a reference level.
 */
export type LineStyle = 'thin' | 'thick-steps' | 'wide-steps' | 'steps' | 'dashed';

export interface LineSpec {
  /** Stable across updates: an instance ID, a load balancer's dimension, a threshold's label. */
  id: string;
  label: string;
  colour: string;
  style: LineStyle;
  /** x (simulated minutes from the start) and y, oldest first. */
  xs: number[];
  ys: number[];
}

export interface ChartSpec {
  key: ChartKey;
  title: string;
  caption: string;
  lines: LineSpec[];
  /** The y axis: its fixed range, or a floor and the least top when it grows with the data. */
  y: { min: number; max?: number; leastTop: number; unit: string; integers: boolean };
}

const INSTANCE_COLOURS = ['#1f77b4', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
const THRESHOLD_COLOURS = ['#d62728', '#e6a100'];
const LOAD_BALANCER_COLOURS = ['#1f77b4', '#2ca02c', '#9467bd'];

/** Simulated minutes from the start of `model`. */
export function minutesOf(model: Pick<ChartModel, 'startMs'>, ms: number): number {
  return (ms - model.startMs) / 60_000;
}

function line(model: ChartModel, series: ChartSeries, colour: string, style: LineStyle): LineSpec {
  return {
    id: series.id,
    label: series.label,
    colour,
    style,
    xs: series.points.map(([at]) => minutesOf(model, at)),
    ys: series.points.map(([, value]) => value),
  };
}

/** A threshold as a dashed line across the whole axis, so the legend names it. */
function level(model: ChartModel, threshold: ChartThreshold, colour: string): LineSpec {
  return {
    id: `threshold:${threshold.label}`,
    label: threshold.label,
    colour,
    style: 'dashed',
    xs: [0, minutesOf(model, model.endMs)],
    ys: [threshold.value, threshold.value],
  };
}

function cpuChart(model: ChartModel): ChartSpec {
  const average = model.cpu.groupAverage ?? { id: 'group-average', label: 'group average', points: [] };
  return {
    key: 'cpu',
    title: 'CPU utilization (%)',
    caption:
      'Thin lines: each instance’s AWS/EC2 CPUUtilization (dimension InstanceId), read from /proc every 10 simulated s. ' +
      'Thick steps: the group’s Average per minute (dimension AutoScalingGroupName) over the instances in service past their warm-up, ' +
      'the datapoints the target tracking alarms evaluate. Dashed: the policy’s target, which is AlarmHigh’s threshold, and AlarmLow’s.',
    lines: [
      ...model.cpu.instances.map((series, i) =>
        line(model, series, INSTANCE_COLOURS[i % INSTANCE_COLOURS.length] ?? '#777', 'thin'),
      ),
      line(model, average, '#111111', 'thick-steps'),
      ...model.cpu.thresholds.map((threshold, i) =>
        level(model, threshold, THRESHOLD_COLOURS[i % THRESHOLD_COLOURS.length] ?? '#d62728'),
      ),
    ],
    y: { min: 0, max: 100, leastTop: 100, unit: '%', integers: false },
  };
}

function capacityChart(model: ChartModel): ChartSpec {
  return {
    key: 'capacity',
    title: 'Capacity (instances)',
    caption:
      'In service: instances InService in the Auto Scaling group, from its scaling activities (a launch counts once it succeeded, ' +
      'a termination from its start, when the instance leaves service to drain). Healthy: AWS/ApplicationELB HealthyHostCount of the ' +
      'scaling load balancer’s target group, which the local load balancer publishes every 10 simulated s.',
    lines: [
      line(model, model.capacity.inService, 'rgba(44, 160, 44, 0.55)', 'wide-steps'),
      line(model, model.capacity.healthy, '#1f77b4', 'steps'),
    ],
    y: { min: 0, leastTop: 3, unit: '', integers: true },
  };
}

function requestsChart(model: ChartModel): ChartSpec {
  return {
    key: 'requests',
    title: 'Requests per second',
    caption:
      'AWS/ApplicationELB RequestCount of each load balancer (requests it chose a target for; health checks are not requests), ' +
      'its Sum per minute divided by the seconds of that minute the run covered.',
    lines: model.requests.map((series, i) =>
      line(model, series, LOAD_BALANCER_COLOURS[i % LOAD_BALANCER_COLOURS.length] ?? '#777', 'steps'),
    ),
    y: { min: 0, leastTop: 1, unit: '/s', integers: false },
  };
}

/** The three charts, in the order they are shown. */
export function chartSpecs(model: ChartModel): ChartSpec[] {
  return [cpuChart(model), capacityChart(model), requestsChart(model)];
}

/** "0 min", "7.5 min": an x tick or a phase's bounds. */
export function minutesLabel(minutes: number): string {
  const rounded = Math.round(minutes * 10) / 10;
  return `${rounded} min`;
}
