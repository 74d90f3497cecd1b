/**
 * The copy of a definition that the interpreter actually runs: durations divided by the time
 * scale (the interpreter sleeps in real time), Wait states turned into a local task that sleeps
 * on the Clock, Task timeouts left to the Clock, and StartAt moved for a redrive. The original is what was
 * validated and what the API shows; the copy is run with validation off.
 */
import { type AslMachine, type AslState, childMachines, isRecord, LAMBDA_INVOKE } from './definition.js';

// setTimeout overflows above 2^31-1 ms and then fires at once; AWS's 99999999-second timeouts
// must stay "never" locally.
const MAX_REAL_SECONDS = 2_147_483;
const DEFAULT_RETRY_INTERVAL_SECONDS = 1;

/** Real seconds for `simSeconds` at `scale`, capped so Node timers do not overflow. */
export function toRealSeconds(simSeconds: number, scale: number): number {
  return Math.min(simSeconds / scale, MAX_REAL_SECONDS);
}

function scaleRetriers(retry: unknown, scale: number): unknown {
  if (!Array.isArray(retry)) return retry;
  return retry.map(function scaleRetrier(retrier: unknown) {
    if (!isRecord(retrier)) return retrier;
    const interval =
      typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : DEFAULT_RETRY_INTERVAL_SECONDS;
    const scaled: Record<string, unknown> = { ...retrier, IntervalSeconds: toRealSeconds(interval, scale) };
    if (typeof retrier.MaxDelaySeconds === 'number')
      scaled.MaxDelaySeconds = toRealSeconds(retrier.MaxDelaySeconds, scale);
    return scaled;
  });
}

/**
 * A Wait becomes a Task that sleeps on the Clock: a SecondsPath cannot be scaled in the
 * definition (the number comes from the data), and the interpreter's own timer may end a Wait
 * up to a millisecond early, a whole simulated second at scale 1000, where AWS never does.
 * InputPath, OutputPath and the transition are kept, so the state's output is the same.
 */
function waitAsTask(state: AslState): AslState {
  const { Type: _type, SecondsPath, Seconds, ...kept } = state;
  const seconds = SecondsPath === undefined ? { seconds: Seconds } : { 'seconds.$': SecondsPath };
  return {
    ...kept,
    Type: 'Task',
    Resource: LAMBDA_INVOKE,
    Parameters: { ...seconds, 'input.$': '$' },
    TimeoutSeconds: MAX_REAL_SECONDS,
  };
}

function isClockWait(state: AslState): boolean {
  return state.Type === 'Wait' && (state.SecondsPath !== undefined || typeof state.Seconds === 'number');
}

function scaleState(state: AslState, scale: number): AslState {
  if (isClockWait(state)) return waitAsTask(state);
  const copy: AslState = { ...state };
  // A Task's TimeoutSeconds runs on the Clock (tasks.ts, states-timeout.ts); the interpreter's
  // own real-time timer (60 s by default) must never fire first.
  if (state.Type === 'Task') copy.TimeoutSeconds = MAX_REAL_SECONDS;
  if (state.Retry !== undefined) copy.Retry = scaleRetriers(state.Retry, scale);
  if (Array.isArray(state.Branches))
    copy.Branches = childMachines({ Branches: state.Branches }).map((b) => scaleMachine(b, scale));
  if (state.ItemProcessor !== undefined)
    copy.ItemProcessor = childMachines({ ItemProcessor: state.ItemProcessor }).map((m) =>
      scaleMachine(m, scale),
    )[0];
  if (state.Iterator !== undefined)
    copy.Iterator = childMachines({ Iterator: state.Iterator }).map((m) => scaleMachine(m, scale))[0];
  return copy;
}

function scaleMachine(machine: AslMachine, scale: number): AslMachine {
  const States: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(machine.States)) States[name] = scaleState(state, scale);
  const copy: AslMachine = { ...structuredClone(machine), States };
  if (typeof machine.TimeoutSeconds === 'number')
    copy.TimeoutSeconds = toRealSeconds(machine.TimeoutSeconds, scale);
  return copy;
}

/** Names of the Wait states that {@link prepareForRun} turned into Clock-driven tasks. */
export function clockWaitStates(machine: AslMachine): Set<string> {
  const names = new Set<string>();
  const visit = (m: AslMachine): void => {
    for (const [name, state] of Object.entries(m.States)) {
      if (isClockWait(state)) names.add(name);
      for (const child of childMachines(state)) visit(child);
    }
  };
  visit(machine);
  return names;
}

/** The definition to hand the interpreter for one run (a start or a redrive from `startAt`). */
export function prepareForRun(machine: AslMachine, scale: number, startAt?: string): AslMachine {
  const copy = scaleMachine(machine, scale);
  if (startAt !== undefined) copy.StartAt = startAt;
  return copy;
}
