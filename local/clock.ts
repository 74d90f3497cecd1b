/**
 * Simulated time for the local cloud. Every AWS duration (health-check interval, alarm period,
 * warm-up, deregistration delay, boot time, Wait states…) is written in simulated seconds and
 * runs through one Clock, so a 25-minute lab fits in about a minute of real time.
 *
 * Simulated time is real time scaled, except while this process cannot keep up. The clock looks at
 * the event loop every few real ms; when it finds it was held longer (a process spawning, a busy
 * machine, a garbage collection), it counts at most one step of that gap
 * ({@link CLOCK_STEP_SIMULATED_SECONDS}, at least {@link CLOCK_STEP_LEAST_REAL_MS}) and stands still
 * for the rest, so nothing the model schedules comes late in simulated time:
 * the run takes longer in real time instead. {@link Clock.hold} stops it on purpose, for modelled
 * work that is still finishing in real time. What the clock did not count is its held time.
 */
export interface ClockOptions {
  /** Simulated seconds per real second (1 = real time, 60 = one simulated minute per real second). */
  scale?: number;
}

/** A cancellable timer handle returned by {@link Clock.setTimeout} and {@link Clock.setInterval}. */
export interface ClockTimer {
  cancel(): void;
}

/**
 * Told of every timer the clock fires: how late it ran, in real ms of the simulated timeline
 * (time the clock held back is not counted), and when it was due, in simulated epoch ms. A timer
 * late by L real ms acted L × scale simulated ms after the moment the model says; the clock holds
 * back all of a stall but one step, so L stays within a step unless the clock was closed.
 */
export type LatenessListener = (lateRealMs: number, dueSimMs: number) => void;

/** Ends a {@link Clock.hold}; calling it again does nothing. */
export type ReleaseHold = () => void;

export class ClockError extends Error {
  override name = 'ClockError';
}

/**
 * The most simulated time one gap between two looks at the event loop may count (but see
 * {@link CLOCK_STEP_LEAST_REAL_MS}): a longer gap is a stall, and the clock stands still for the
 * rest of it. It bounds how late, in simulated time, anything scheduled can run because of a
 * stall: 2 s is a fifth of the finest thing the lab measures with (a 10-second CPU sample or
 * health-check interval).
 */
export const CLOCK_STEP_SIMULATED_SECONDS = 2;

/**
 * A step is never shorter than this many real ms, whatever the time scale. Shorter gaps are the
 * timer jitter of a busy machine, not stalls; holding the clock for them, all the time, would put
 * it behind the timers the Step Functions interpreter keeps in real time (Retry intervals, Task
 * timeouts), which would then end early in simulated time. So above a time scale of 100 a stall
 * counts up to 20 ms × scale simulated ms: 4.8 s at 240, 10 s at 500.
 */
export const CLOCK_STEP_LEAST_REAL_MS = 20;

/** How often the clock looks at the event loop, in real ms: half a step, within these bounds. */
const LOOK_REAL_MS = { least: 2, most: 250 } as const;

/** How many past looks {@link Clock.simAt} remembers: a second or more of readings. */
const RECENT_LOOKS = 256;

/** Node fires a timer at once above 2^31 - 1 ms; a longer wait is armed again when that much has passed. */
const MAX_NODE_TIMER_MS = 2_147_483_647;

interface Parked {
  simDue: number;
  /** Arms the timer again, from a fresh macrotask (not inside the release that resumes it). */
  resume: () => void;
}

export class Clock {
  readonly scale: number;
  /** The most real ms one gap may count (CLOCK_STEP_SIMULATED_SECONDS at this scale). */
  private stepRealMs: number;
  /** Where simulated time stood at the last look, and when that was (performance.now(), Date.now()). */
  private simAtLook = Date.now();
  private realAtLook = performance.now();
  private epochAtLook = Date.now();
  /** Real ms the clock did not count: its holds and the stalls it found. */
  private heldTotalRealMs = 0;
  private holds = 0;
  private readonly looker: NodeJS.Timeout;
  /** Timers that came due while the clock was held; armed again at the release. */
  private readonly parked = new Set<Parked>();
  private readonly latenessListeners = new Set<LatenessListener>();
  private readonly heldListeners = new Set<(heldRealMs: number) => void>();
  private readonly simOrigin = this.simAtLook;
  /** The last looks, oldest first, so {@link simAt} maps a reading from a moment ago exactly. */
  private readonly recentLooks: Array<{ epoch: number; sim: number }> = [];

  constructor(options: ClockOptions = {}) {
    const scale = options.scale ?? 1;
    if (!Number.isFinite(scale) || scale <= 0 || scale > 10_000) {
      throw new ClockError(`time scale must be a number in (0, 10000], got ${String(options.scale)}`);
    }
    this.scale = scale;
    this.stepRealMs = Math.max(CLOCK_STEP_LEAST_REAL_MS, (CLOCK_STEP_SIMULATED_SECONDS * 1000) / scale);
    const lookMs = Math.min(LOOK_REAL_MS.most, Math.max(LOOK_REAL_MS.least, this.stepRealMs / 2));
    this.looker = setInterval(() => this.look(), lookMs);
    // The clock never keeps the process alive by itself.
    this.looker.unref();
  }

  /** Simulated wall-clock time in epoch milliseconds; starts at the real time of construction. */
  now(): number {
    if (this.holds > 0) return this.simAtLook;
    return this.simAtLook + Math.min(performance.now() - this.realAtLook, this.stepRealMs) * this.scale;
  }

  /**
   * The simulated instant of a real epoch-ms instant (a `Date.now()` reading, now or a moment
   * ago), consistent with {@link now}: a reading counts what the clock counted up to it, so
   * readings in order map to simulated instants in order.
   */
  simAt(realEpochMs: number): number {
    if (realEpochMs >= this.epochAtLook) {
      if (this.holds > 0) return this.simAtLook;
      return this.simAtLook + Math.min(realEpochMs - this.epochAtLook, this.stepRealMs) * this.scale;
    }
    const at = this.recentLooks.findLastIndex(({ epoch }) => epoch <= realEpochMs);
    const oldest = this.recentLooks[0];
    if (at === -1 || !oldest) return this.simAtLook - (this.epochAtLook - realEpochMs) * this.scale;
    const before = this.recentLooks[at] ?? oldest;
    const after = this.recentLooks[at + 1] ?? { epoch: this.epochAtLook, sim: this.simAtLook };
    const countedRealMs = (after.sim - before.sim) / this.scale;
    return before.sim + Math.min(realEpochMs - before.epoch, countedRealMs) * this.scale;
  }

  /** Simulated seconds elapsed since the clock was created. */
  elapsedSeconds(): number {
    return (this.now() - this.simOrigin) / 1000;
  }

  /** Simulated time as an ISO-8601 string, as AWS writes timestamps. */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** Real milliseconds that a simulated duration takes. */
  toRealMs(simSeconds: number): number {
    return (simSeconds * 1000) / this.scale;
  }

  /** Simulated seconds that a real duration stands for. */
  toSimSeconds(realMs: number): number {
    return (realMs * this.scale) / 1000;
  }

  /**
   * Stops simulated time until the returned function is called: for real work the model gives a
   * duration of its own, such as a Node.js process starting inside an instance's simulated boot.
   * Holds nest; time moves again when the last one ends, and timers due meanwhile then run in
   * order. Everything real goes on meanwhile (other processes, sockets), so a hold is for moments
   * the model says take no time, never for waiting on the simulation itself.
   */
  hold(): ReleaseHold {
    if (this.holds === 0) this.look();
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.holds === 1) this.look();
      this.holds -= 1;
      if (this.holds > 0) return;
      const due = [...this.parked].sort((a, b) => a.simDue - b.simDue);
      this.parked.clear();
      for (const { resume } of due) resume();
    };
  }

  /** Real ms the clock did not count as simulated time: its holds and the stalls it found. */
  get heldRealMs(): number {
    return this.heldTotalRealMs;
  }

  /** Calls `listener` with {@link heldRealMs} whenever it grows; returns the function that stops it. */
  onHeld(listener: (heldRealMs: number) => void): () => void {
    this.heldListeners.add(listener);
    return () => this.heldListeners.delete(listener);
  }

  /** Calls `listener` for every timer fired from now on; returns the function that stops it. */
  watchLateness(listener: LatenessListener): () => void {
    this.latenessListeners.add(listener);
    return () => this.latenessListeners.delete(listener);
  }

  setTimeout(callback: () => void, simSeconds: number): ClockTimer {
    return this.at(this.now() + simSeconds * 1000, callback);
  }

  setInterval(callback: () => void, simSeconds: number): ClockTimer {
    let current: ClockTimer;
    let cancelled = false;
    // Like Node, each tick is a period after the previous one ran, so each is late on its own.
    const tick = (): void => {
      if (cancelled) return;
      current = this.setTimeout(tick, simSeconds);
      callback();
    };
    current = this.setTimeout(tick, simSeconds);
    return {
      cancel: () => {
        cancelled = true;
        current.cancel();
      },
    };
  }

  /** Resolves after `simSeconds` of simulated time; rejects with the signal's reason if aborted first. */
  sleep(simSeconds: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        timer.cancel();
        reject(signal?.reason);
      };
      const timer = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, simSeconds);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops looking at the event loop; time and timers go on, but stalls count in full. */
  close(): void {
    clearInterval(this.looker);
    this.look();
    this.stepRealMs = Number.POSITIVE_INFINITY;
  }

  /**
   * Moves simulated time to now: by the real time since the last look, at most one step, or not
   * at all while held. What it does not count is held.
   */
  private look(): void {
    const real = performance.now();
    const gap = real - this.realAtLook;
    const counted = this.holds > 0 ? 0 : Math.min(gap, this.stepRealMs);
    this.recentLooks.push({ epoch: this.epochAtLook, sim: this.simAtLook });
    if (this.recentLooks.length > RECENT_LOOKS) this.recentLooks.shift();
    this.simAtLook += counted * this.scale;
    this.realAtLook = real;
    this.epochAtLook = Date.now();
    if (gap - counted < 0.5) return;
    this.heldTotalRealMs += gap - counted;
    for (const listener of this.heldListeners) listener(this.heldTotalRealMs);
  }

  /**
   * Runs `callback` once simulated time reaches `simDue`, never before: Node may wake a timer up
   * to a millisecond early, a whole simulated second at a time scale of 1000 (an AWS Wait state or
   * cooldown never ends early), and time the clock held since the timer was set moves its real
   * moment later. A timer that comes due while the clock is held waits for the release.
   */
  private at(simDue: number, callback: () => void): ClockTimer {
    let handle: NodeJS.Timeout | undefined;
    const realDelay = (): number =>
      Math.min(MAX_NODE_TIMER_MS, Math.max(0, (simDue - this.now()) / this.scale));
    const arm = (): void => {
      handle = undefined;
      if (this.holds > 0) {
        this.parked.add(parked);
        return;
      }
      const lateRealMs = (this.now() - simDue) / this.scale;
      if (lateRealMs < 0) {
        handle = setTimeout(arm, realDelay());
        return;
      }
      for (const listener of this.latenessListeners) listener(lateRealMs, simDue);
      callback();
    };
    const parked: Parked = {
      simDue,
      resume: () => {
        handle = setTimeout(arm, 0);
      },
    };
    handle = setTimeout(arm, realDelay());
    return {
      cancel: () => {
        if (handle !== undefined) clearTimeout(handle);
        this.parked.delete(parked);
      },
    };
  }
}
