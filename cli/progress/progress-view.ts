/**
 * A run's progress on a terminal, as k6 and `cdk deploy` show theirs: a lasting line for each
 * phase entered and each thing that happened, in order of simulated time, and on a TTY a live
 * status under them (the phase, n of 11, a bar, the time spent and the time expected left, the
 * group). Without a TTY (a CI log) the lasting lines alone, never silent longer than a phase.
 * log-update rewrites the live lines and keeps the lasting ones in the scrollback.
 */
import type { Writable } from 'node:stream';
import { createLogUpdate } from 'log-update';
import type { PlannedPhase } from '../../lab/phase-plan.js';
import { planPosition } from '../../lab/phase-plan.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import type { LabProgress } from '../../local-lab/run/lab-run.js';
import { type Moment, momentOfEvent, observationMoment, type Tone } from './lab-moments.js';
import { type Palette, palette } from './palette.js';

export interface ProgressViewOptions {
  /** Where the view writes: stderr, so stdout can carry `--json` alone. */
  out: Writable & { isTTY?: boolean; columns?: number };
  /** Rewrite a live status (a terminal), or only print lasting lines (a log). */
  live: boolean;
  color: boolean;
  plan: readonly PlannedPhase[];
  timeScale: number;
  /** Simulated epoch ms the run started at: lasting lines say the simulated time since. */
  simulatedStart: number;
}

/** `mm:ss`, or `h:mm:ss` from an hour on. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const mm = String(Math.floor((whole % 3600) / 60)).padStart(2, '0');
  const ss = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

const BAR_WIDTH = 12;
const MARKS: Record<Tone, string> = { good: '✔', bad: '✘', neutral: '•' };

function bar(done: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, done)) * BAR_WIDTH);
  return `▕${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}▏`;
}

export class ProgressView {
  private readonly colors: Palette;
  private readonly liveLines: ReturnType<typeof createLogUpdate> | undefined;
  private phasesShown = 0;
  private eventsRead = 0;
  private readonly observationsShown = new Set<string>();

  constructor(private readonly options: ProgressViewOptions) {
    this.colors = palette(options.color);
    // A stream without `columns` (a pipe) still gets a live view when asked: 100 columns.
    this.liveLines = options.live ? createLogUpdate(options.out, { defaultWidth: 100 }) : undefined;
  }

  /** Prints what is new since the last update: lasting lines in simulated order, then the status. */
  update(progress: LabProgress, events: readonly EventBridgeEvent[]): void {
    const lines = [...this.newPhaseLines(progress), ...this.newMoments(progress, events)]
      .sort((a, b) => a.at - b.at)
      .map(({ text }) => text);
    if (this.liveLines) {
      // persist() joins its arguments with spaces: one argument, one line each.
      if (lines.length > 0) this.liveLines.persist(lines.join('\n'));
      this.liveLines(this.status(progress));
    } else if (lines.length > 0) {
      this.options.out.write(`${lines.join('\n')}\n`);
    }
  }

  /** Removes the live status, leaving the lasting lines. */
  finish(): void {
    this.liveLines?.clear();
    this.liveLines?.done();
  }

  private since(at: number): string {
    return clock((at - this.options.simulatedStart) / 1000);
  }

  private newPhaseLines(progress: LabProgress): { at: number; text: string }[] {
    const fresh = progress.phases.slice(this.phasesShown);
    this.phasesShown = progress.phases.length;
    return fresh.map((phase) => {
      const at = Date.parse(phase.simulatedStart);
      const position = planPosition(this.options.plan, phase.phase, 0);
      const words = position.phase?.words ?? phase.phase;
      const text = `${this.since(at)}  ${this.colors.bold(`phase ${position.index}/${position.count}`)} ${words}`;
      return { at, text };
    });
  }

  private newMoments(
    progress: LabProgress,
    events: readonly EventBridgeEvent[],
  ): { at: number; text: string }[] {
    const moments: Moment[] = [];
    for (const event of events.slice(this.eventsRead)) {
      const moment = momentOfEvent(event);
      if (moment) moments.push(moment);
    }
    this.eventsRead = events.length;
    for (const [kind, observation] of Object.entries(progress.observations)) {
      if (!observation || this.observationsShown.has(kind)) continue;
      // Shown once the phase has moved on: a round that timed out is not the outcome.
      const observeState = kind === 'scaleOut' ? 'ObserveScaleOut' : 'ObserveScaleIn';
      if (progress.phases.at(-1)?.phase === observeState) continue;
      this.observationsShown.add(kind);
      // It was decided when the next phase began.
      const next = progress.phases[progress.phases.findIndex(({ phase }) => phase === observeState) + 1];
      const at = next
        ? Date.parse(next.simulatedStart)
        : this.options.simulatedStart + progress.simulatedSeconds * 1000;
      moments.push(observationMoment(kind as 'scaleOut' | 'scaleIn', observation, at));
    }
    return moments.map(({ at, text, tone }) => ({
      at,
      text: `${this.since(at)}    ${this.colors.tone(tone, `${MARKS[tone]} ${text}`)}`,
    }));
  }

  private status(progress: LabProgress): string {
    const current = progress.phases.at(-1);
    const inPhase = current
      ? progress.simulatedSeconds - (Date.parse(current.simulatedStart) - this.options.simulatedStart) / 1000
      : 0;
    const position = planPosition(this.options.plan, current?.phase, inPhase);
    const left = position.expectedSecondsLeft / this.options.timeScale;
    const done = progress.realSeconds / (progress.realSeconds + left || 1);
    const cpu = progress.cpu === undefined ? '–' : `${Math.round(progress.cpu)} %`;
    const { bold, dim } = this.colors;
    return [
      `${bold(`phase ${position.index}/${position.count}`)} ${position.phase?.words ?? 'starting'} ${bar(done)}`,
      `  sim ${clock(progress.simulatedSeconds)} · real ${clock(progress.realSeconds)} · about ${clock(left)} left` +
        dim(
          ` · ${progress.inService} in service, ${progress.healthy} healthy · CPU ${cpu} (target ${progress.target} %)`,
        ),
    ].join('\n');
  }
}
