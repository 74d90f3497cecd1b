/**
 * What `--follow` and `scalelab follow` print while an execution runs, one poll at a time: for the
 * lab, a line per lab phase when it ends (its simulated duration, so labelled) and a line when a
 * scaling is seen; for other state machines, each state as it is entered and left.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { humanDuration } from '../../lab/durations.js';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';
import { observationsOf } from '../../local-lab/run/observations.js';
import { phaseTimeline } from '../../local-lab/run/run-folder.js';
import { formatSeconds } from './render.js';
import { timeline } from './timeline.js';

export interface AnnouncerOptions {
  print: (line: string) => void;
  /** Re-attaching: what already happened is not printed again, only where the execution is. */
  fromNow?: boolean;
  /** After a redrive: only the latest attempt's phases. */
  latestAttemptOnly?: boolean;
}

export interface Announcer {
  /** Prints what is new in `events`; `ended` once the execution has ended. */
  announce(events: readonly HistoryEvent[], ended: { status: string } | undefined): void;
}

/** The history with its simulated dates standing in for the real ones the SDK does not send. */
function asLocal(events: readonly HistoryEvent[]): LocalHistoryEvent[] {
  return events.map((event) => ({ ...event, realTimestamp: event.timestamp ?? new Date(0) }));
}

/** When the latest attempt began (after the last redrive), as a simulated ISO date. */
function latestAttemptStart(events: readonly HistoryEvent[]): string | undefined {
  const states = timeline([...events]);
  return states.phases[states.attemptStart]?.enteredAt.toISOString();
}

/** The lab: one line per phase (not per health poll), and each scaling seen. */
export class LabPhaseAnnouncer implements Announcer {
  private printed: number | undefined;
  private readonly seen = new Set<string>();

  constructor(private readonly options: AnnouncerOptions) {}

  announce(events: readonly HistoryEvent[], ended: { status: string } | undefined): void {
    const history = asLocal(events);
    const phases = phaseTimeline(history);
    const settled = ended ? phases.length : Math.max(0, phases.length - 1);
    const observations = Object.entries(observationsOf(history));
    if (this.printed === undefined) this.printed = this.firstLook(events, phases, settled, observations);
    for (; this.printed < settled; this.printed += 1) {
      const phase = phases[this.printed];
      if (!phase) break;
      const last = this.printed === phases.length - 1;
      const failed = ended !== undefined && ended.status !== 'SUCCEEDED' && last;
      this.options.print(
        `  ${failed ? 'x' : '+'} ${phase.phase} ${failed ? 'ended' : 'done'} after ${humanDuration(phase.simulatedSeconds)} (simulated)`,
      );
    }
    for (const [name, o] of observations) {
      if (this.seen.has(name)) continue;
      this.seen.add(name);
      this.options.print(
        `  • ${name} ${o.held ? 'seen' : 'not seen'} by ${o.path} after ${o.rounds} round(s)`,
      );
    }
  }

  /** How many phases count as printed already: those before now (re-attach) or before the redrive. */
  private firstLook(
    events: readonly HistoryEvent[],
    phases: ReturnType<typeof phaseTimeline>,
    settled: number,
    observations: [string, unknown][],
  ): number {
    if (this.options.fromNow) {
      for (const [name] of observations) this.seen.add(name);
      const current = phases[settled];
      if (current)
        this.options.print(`  > now in ${current.phase} (since ${current.simulatedStart}, simulated)`);
      return settled;
    }
    if (!this.options.latestAttemptOnly) return 0;
    const since = latestAttemptStart(events);
    return since === undefined ? 0 : phases.filter(({ simulatedStart }) => simulatedStart < since).length;
  }
}

/** Any other state machine (e.g. the demo): each state as it is entered and left. */
export class StateAnnouncer implements Announcer {
  private readonly entered = new Set<number>();
  private readonly exited = new Set<number>();
  private looked = false;

  constructor(private readonly options: AnnouncerOptions) {}

  announce(events: readonly HistoryEvent[]): void {
    const current = timeline([...events]);
    if (!this.looked && this.options.fromNow) this.skipThePast(current.phases);
    this.looked = true;
    current.phases.forEach((phase, index) => {
      if (this.options.latestAttemptOnly && index < current.attemptStart) return;
      if (!this.entered.has(index)) {
        this.entered.add(index);
        this.options.print(`  > ${phase.name} (${phase.type})`);
      }
      if (phase.exitedAt && !this.exited.has(index)) {
        this.exited.add(index);
        const caught = phase.error ? ` after ${phase.error} was caught` : '';
        this.options.print(
          `  ${phase.error ? '!' : '+'} ${phase.name} done in ${formatSeconds(phase.seconds ?? 0)} (simulated)${caught}`,
        );
      }
    });
  }

  /** Re-attaching: the states already left are not printed again; the open one is. */
  private skipThePast(phases: ReturnType<typeof timeline>['phases']): void {
    phases.forEach((phase, index) => {
      if (!phase.exitedAt) return;
      this.entered.add(index);
      this.exited.add(index);
    });
  }
}
