/// <reference lib="dom" />
/**
 * The lab's charts in the browser, drawn with uPlot (small, fast, made for time series), the same
 * in report.html and in the live console: CPU per instance against the policy's target and alarm
 * thresholds, capacity in service and healthy, requests per second per load balancer; each with
 * a legend, an x axis in simulated minutes from the start, phase bands and activity marks.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './charts.css';
import type { ChartModel } from '../model/chart-model.js';
import {
  drawActivityLines,
  drawPhaseBands,
  layoutPhaseStrip,
  placeActivityMarkers,
} from './chart-overlays.js';
import {
  type ChartKey,
  type ChartSpec,
  chartSpecs,
  type LineSpec,
  minutesLabel,
  minutesOf,
} from './chart-specs.js';

/** What tests read of each chart (uPlot draws on a canvas): titles, lines and the x ticks it chose. */
export interface ChartReadout {
  key: ChartKey;
  title: string;
  series: { label: string; points: number }[];
  xTicks: string[];
}

declare global {
  interface Window {
    /** Read-only, for tests: the charts mounted last. */
    __scalelabCharts?: { charts(): ChartReadout[] };
  }
}

export interface MountedCharts {
  /** Redraws with a newer model (cheap: new data for the same lines; a new line rebuilds its chart). */
  update(model: ChartModel): void;
  destroy(): void;
}

/** CSS px of each plot (axes included); the legend and the phase names come below. */
const PLOT_HEIGHT = 230;
const X_INCREMENTS = [0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480];

/** What a chart's hooks read and write: they run inside uPlot, before and after it is built. */
interface ChartState {
  spec: ChartSpec;
  /** The line ids the plot was built with: other lines need a new plot. */
  signature: string;
  /** The phases' names, between the plot and its legend. */
  strip: HTMLElement;
  /** The x tick labels uPlot chose at its last draw. */
  xTicks: string[];
}

interface Chart {
  state: ChartState;
  plot: uPlot;
  figure: HTMLElement;
}

function seriesOf(line: LineSpec): uPlot.Series {
  const steps = uPlot.paths.stepped?.({ align: 1 });
  const base: uPlot.Series = {
    label: line.label,
    stroke: line.colour,
    spanGaps: true,
    points: { show: false },
    value: (_plot, value) =>
      value === null || value === undefined ? '–' : String(Math.round(value * 100) / 100),
  };
  if (line.style === 'thin') return { ...base, width: 1.25 };
  if (line.style === 'dashed') return { ...base, width: 1.5, dash: [8, 5] };
  const width = { 'thick-steps': 3, 'wide-steps': 6, steps: 2 }[line.style];
  return { ...base, width, ...(steps && { paths: steps }) };
}

function dataOf(spec: ChartSpec): uPlot.AlignedData {
  if (spec.lines.length === 0) return [[]];
  return uPlot.join(spec.lines.map((line): uPlot.AlignedData => [line.xs, line.ys]));
}

function signatureOf(spec: ChartSpec): string {
  return spec.lines.map(({ id }) => id).join('\n');
}

function widthOf(element: HTMLElement): number {
  return Math.max(320, Math.floor(element.clientWidth));
}

/** Draws the charts of `model` into `container`, sized to its width and redrawn when it resizes. */
export function mountCharts(container: HTMLElement, model: ChartModel): MountedCharts {
  let current = model;
  const root = document.createElement('div');
  root.className = 'scalelab-charts';
  container.append(root);
  const charts = new Map<ChartKey, Chart>();

  function options(chart: ChartState, width: number): uPlot.Options {
    const { y } = chart.spec;
    return {
      width,
      height: PLOT_HEIGHT,
      series: [
        { label: 'time', value: (_p, v) => (v === null || v === undefined ? '–' : minutesLabel(v)) },
        ...chart.spec.lines.map(seriesOf),
      ],
      scales: {
        x: { time: false, range: () => [0, Math.max(1, minutesOf(current, current.endMs))] },
        y: {
          range: (_p, _min, max) => [y.min, y.max ?? Math.max(y.leastTop, Math.ceil((max ?? 0) * 1.15))],
        },
      },
      axes: [
        {
          incrs: X_INCREMENTS,
          space: 70,
          values: (_p, splits) => {
            chart.xTicks = splits.map(minutesLabel);
            return chart.xTicks;
          },
        },
        {
          size: 56,
          ...(y.integers && { incrs: [1, 2, 5, 10, 20, 50] }),
          values: (_p, splits) => splits.map((v) => `${v}${y.unit && ` ${y.unit}`}`),
        },
      ],
      cursor: { drag: { x: false, y: false, setScale: false } },
      legend: { show: true, live: true },
      hooks: {
        drawClear: [(plot) => drawPhaseBands(plot, current)],
        draw: [
          (plot) => {
            drawActivityLines(plot, current);
            placeActivityMarkers(plot, current);
            if (chart.strip.isConnected) layoutPhaseStrip(chart.strip, plot, current);
          },
        ],
      },
    };
  }

  function build(spec: ChartSpec, previous?: Chart): Chart {
    previous?.plot.destroy();
    const figure = previous?.figure ?? document.createElement('figure');
    figure.className = 'scalelab-chart';
    figure.dataset.chart = spec.key;
    const title = document.createElement('h3');
    title.textContent = spec.title;
    const target = document.createElement('div');
    const caption = document.createElement('p');
    caption.className = 'chart-caption';
    caption.textContent = `${spec.caption} Shaded bands: the workflow’s phases (hover for times). Vertical lines: scaling activities, green a launch, red dashed a termination (hover ▲ ▼ for AWS’s description and cause). Time: simulated minutes from the execution’s start.`;
    figure.replaceChildren(title, target, caption);
    if (!previous) root.append(figure);
    const strip = document.createElement('div');
    strip.className = 'phase-strip';
    const state: ChartState = { spec, signature: signatureOf(spec), strip, xTicks: [] };
    const plot = new uPlot(options(state, widthOf(root)), dataOf(spec), target);
    // The names go between the plot and its legend; laid out now that they can be measured.
    plot.root.insertBefore(strip, plot.root.querySelector('.u-legend'));
    layoutPhaseStrip(strip, plot, current);
    return { state, plot, figure };
  }

  function render(): void {
    for (const spec of chartSpecs(current)) {
      const chart = charts.get(spec.key);
      if (chart && chart.state.signature === signatureOf(spec)) {
        chart.state.spec = spec;
        chart.plot.setData(dataOf(spec));
      } else {
        charts.set(spec.key, build(spec, chart));
      }
    }
  }

  render();
  const resizes = new ResizeObserver(() => {
    const width = widthOf(root);
    for (const chart of charts.values())
      if (chart.plot.width !== width) chart.plot.setSize({ width, height: PLOT_HEIGHT });
  });
  resizes.observe(root);
  const readout = {
    charts: (): ChartReadout[] =>
      [...charts.values()].map(({ state: { spec, xTicks } }) => ({
        key: spec.key,
        title: spec.title,
        series: spec.lines.map(({ label, xs }) => ({ label, points: xs.length })),
        xTicks: [...xTicks],
      })),
  };
  window.__scalelabCharts = readout;

  return {
    update(next: ChartModel): void {
      current = next;
      render();
    },
    destroy(): void {
      resizes.disconnect();
      for (const chart of charts.values()) chart.plot.destroy();
      charts.clear();
      root.remove();
      if (window.__scalelabCharts === readout) window.__scalelabCharts = undefined;
    },
  };
}
