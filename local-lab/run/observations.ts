/**
 * How each observe step ended, read from the execution history: which path completed it (an Auto
 * Scaling event, or a round's re-check that needs none), after how many rounds, and what the
 * fault injection did to the events meanwhile. The evidence that the lab does not hang on one
 * best-effort event.
 */
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';

/** The path that decided an observation. */
export type ObservationPath = 'event' | 're-check' | 'deadline';

/** One observe step's outcome, for summary.json. */
export interface ObservationSummary {
  held: boolean;
  /** The trigger arm-observer or on-scaling-event recorded (see lambdas/observation/observe.ts). */
  trigger: string;
  path: ObservationPath;
  /** Rounds the step ran (each arms a fresh token and checks the group). */
  rounds: number;
  elapsedSeconds: number;
}

const OBSERVE_STATES = { scaleOut: 'ObserveScaleOut', scaleIn: 'ObserveScaleIn' } as const;

function pathOf(trigger: string): ObservationPath {
  if (trigger === 'event' || trigger === 'health-poll') return 'event';
  return trigger === 'deadline' ? 'deadline' : 're-check';
}

function parsed(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function observation(
  events: readonly LocalHistoryEvent[],
  state: string,
  field: string,
): ObservationSummary | undefined {
  const exited = events.filter((e) => e.stateExitedEventDetails?.name === state).at(-1);
  const result = parsed(exited?.stateExitedEventDetails?.output)[field];
  if (typeof result !== 'object' || result === null) return undefined;
  const { held, trigger, elapsedSeconds } = result as Record<string, unknown>;
  if (typeof trigger !== 'string') return undefined;
  return {
    held: held === true,
    trigger,
    path: pathOf(trigger),
    rounds: events.filter((e) => e.stateEnteredEventDetails?.name === state).length,
    elapsedSeconds: typeof elapsedSeconds === 'number' ? elapsedSeconds : Number.NaN,
  };
}

/** Both observe steps' outcomes; a step the lab never finished is left out. */
export function observationsOf(
  events: readonly LocalHistoryEvent[],
): Partial<Record<keyof typeof OBSERVE_STATES, ObservationSummary>> {
  const out: Partial<Record<keyof typeof OBSERVE_STATES, ObservationSummary>> = {};
  for (const [field, state] of Object.entries(OBSERVE_STATES) as [keyof typeof OBSERVE_STATES, string][]) {
    const summary = observation(events, state, field);
    if (summary) out[field] = summary;
  }
  return out;
}
