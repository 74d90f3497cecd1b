/// <reference lib="dom" />
/**
 * What a chart shows besides its lines: the lab's phases as shaded bands with their names in a
 * strip under the plot, and the scaling activities as vertical lines with a marker to hover.
 * Phase names never overlap: a name goes inside its band when it fits there, else centred under
 * its band on the first row below with room for it, else only in the band's title (hover).
 */
import type uPlot from 'uplot';
import type { ActivityMark, ChartModel, PhaseBand } from '../model/chart-model.js';
import { minutesLabel, minutesOf } from './chart-specs.js';

const BAND_FILLS = ['rgba(31, 119, 180, 0.07)', 'rgba(127, 127, 127, 0.02)'];
const ACTIVITY_COLOURS: Record<ActivityMark['kind'], string> = { launch: '#2ca02c', terminate: '#d62728' };
/** Space kept between two names and inside a band's edges, in CSS px. */
const LABEL_GAP = 6;
/** Rows under the bands' own for the names of bands too narrow to hold them (charts.css gives the strip room). */
const EXTRA_ROWS = 2;
/** CSS px from one row of names to the next. */
const ROW_HEIGHT = 16;

/** A band's x span in CSS px of the plotting area, clipped to it. */
function bandSpan(plot: uPlot, model: ChartModel, band: PhaseBand): { left: number; right: number } {
  const width = plot.bbox.width / devicePixelRatio;
  const left = plot.valToPos(minutesOf(model, band.startMs), 'x');
  const right = plot.valToPos(minutesOf(model, band.endMs ?? model.endMs), 'x');
  return { left: Math.max(0, Math.min(width, left)), right: Math.max(0, Math.min(width, right)) };
}

/** Shades each phase's span under the lines (uPlot's drawClear hook, canvas pixels). */
export function drawPhaseBands(plot: uPlot, model: ChartModel): void {
  const { ctx, bbox } = plot;
  ctx.save();
  model.phases.forEach((band, i) => {
    const span = bandSpan(plot, model, band);
    ctx.fillStyle = BAND_FILLS[i % BAND_FILLS.length] ?? 'transparent';
    const left = bbox.left + span.left * devicePixelRatio;
    ctx.fillRect(left, bbox.top, (span.right - span.left) * devicePixelRatio, bbox.height);
    ctx.fillStyle = 'rgba(0, 0, 0, 0.18)';
    ctx.fillRect(left, bbox.top, Math.max(1, devicePixelRatio / 2), bbox.height);
  });
  ctx.restore();
}

/** A vertical line per scaling activity over the lines (uPlot's draw hook, canvas pixels). */
export function drawActivityLines(plot: uPlot, model: ChartModel): void {
  const { ctx, bbox } = plot;
  ctx.save();
  ctx.lineWidth = 1.5 * devicePixelRatio;
  for (const mark of model.activities) {
    const x = plot.valToPos(minutesOf(model, mark.atMs), 'x', true);
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    ctx.strokeStyle = ACTIVITY_COLOURS[mark.kind];
    ctx.setLineDash(mark.kind === 'terminate' ? [4 * devicePixelRatio, 3 * devicePixelRatio] : []);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

/** One marker per activity at the top of the plot, whose title is AWS's description and cause. */
export function placeActivityMarkers(plot: uPlot, model: ChartModel): void {
  let layer = plot.over.querySelector<HTMLElement>('.activity-marks');
  if (!layer) {
    layer = document.createElement('div');
    layer.className = 'activity-marks';
    plot.over.append(layer);
  }
  const markers = model.activities.map((mark) => {
    const marker = document.createElement('span');
    marker.className = `activity-mark ${mark.kind}`;
    marker.textContent = mark.kind === 'launch' ? '▲' : '▼';
    marker.style.left = `${plot.valToPos(minutesOf(model, mark.atMs), 'x')}px`;
    const at = minutesLabel(minutesOf(model, mark.atMs));
    marker.title = [`${at}: ${mark.description}`, mark.cause].filter(Boolean).join('\n');
    return marker;
  });
  layer.replaceChildren(...markers);
}

function phaseTitle(model: ChartModel, band: PhaseBand): string {
  const from = minutesLabel(minutesOf(model, band.startMs));
  const to = band.endMs === undefined ? 'now' : minutesLabel(minutesOf(model, band.endMs));
  return `phase ${band.name}: ${from} – ${to}`;
}

interface PlacedName {
  label: HTMLElement;
  span: { left: number; right: number };
  width: number;
}

/** The phase's name as an element of the strip, measured there. */
function nameOf(strip: HTMLElement, band: PhaseBand, title: string): { label: HTMLElement; width: number } {
  const label = document.createElement('span');
  label.className = 'phase-label';
  label.textContent = band.name;
  label.title = title;
  strip.append(label);
  const width = label.offsetWidth;
  label.remove();
  return { label, width };
}

/**
 * Names of bands too narrow to hold them, widest band first: each centred under its band on the
 * first row below where it overlaps no other name; those with no room are left out.
 */
function placeBelow(names: PlacedName[], plotWidth: number, offset: number): HTMLElement[] {
  const rows: { left: number; right: number }[][] = Array.from({ length: EXTRA_ROWS }, () => []);
  const placed: HTMLElement[] = [];
  const byWidth = [...names].sort((a, b) => b.span.right - b.span.left - (a.span.right - a.span.left));
  for (const { label, span, width } of byWidth) {
    const centre = (span.left + span.right) / 2;
    const left = Math.max(0, Math.min(plotWidth - width, centre - width / 2));
    const right = left + width;
    const row = rows.findIndex((taken) =>
      taken.every((other) => right + LABEL_GAP <= other.left || other.right + LABEL_GAP <= left),
    );
    if (row < 0) continue; // no room: the band's title names it
    rows[row]?.push({ left, right });
    label.classList.add('below');
    label.style.left = `${offset + left}px`;
    label.style.top = `${(row + 1) * ROW_HEIGHT}px`;
    placed.push(label);
  }
  return placed;
}

/** Lays the phases' names out in `strip` (under the plot), so that no two overlap. */
export function layoutPhaseStrip(strip: HTMLElement, plot: uPlot, model: ChartModel): void {
  const offset = plot.over.offsetLeft;
  const plotWidth = plot.bbox.width / devicePixelRatio;
  const children: HTMLElement[] = [];
  const narrow: PlacedName[] = [];
  for (const band of model.phases) {
    const span = bandSpan(plot, model, band);
    const title = phaseTitle(model, band);
    const area = document.createElement('span');
    area.className = 'phase-area';
    area.title = title;
    area.style.left = `${offset + span.left}px`;
    area.style.width = `${span.right - span.left}px`;
    children.push(area);
    const { label, width } = nameOf(strip, band, title);
    const bandWidth = span.right - span.left;
    if (width + LABEL_GAP <= bandWidth) {
      label.style.left = `${offset + span.left + (bandWidth - width) / 2}px`;
      children.push(label);
    } else narrow.push({ label, span, width });
  }
  strip.replaceChildren(...children, ...placeBelow(narrow, plotWidth, offset));
}
