/**
 * Simulated time for the local cloud. Every AWS duration (health-check interval, alarm period,
 * warm-up, deregistration delay, boot time, Wait states…) is written in simulated seconds and
 * runs through one Clock, so a 25-minute lab fits in about a minute of real time.
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
 * Told of every timer the clock fires: when it was due and how late it ran, in real ms
 * (performance.now()). Simulated time is real time scaled, so while real work holds the event loop
 * (a slow handler, a busy machine, a garbage collection) the simulation runs on and whatever was
 * due waits: a timer late by L real ms acted L × scale simulated ms after the moment the model says.
 */
export type LatenessListener = (lateRealMs: number, dueRealMs: number) => void;

export class ClockError extends Error {
  override name = 'ClockError';
}

export class Clock {
  readonly scale: number;
  private readonly realOrigin = performance.now();
  private readonly simOrigin = Date.now();
  private readonly latenessListeners = new Set<LatenessListener>();
  private readonly recordLate = (lateRealMs: number, dueRealMs: number): void => {
    for (const listener of this.latenessListeners) listener(lateRealMs, dueRealMs);
  };

  constructor(options: ClockOptions = {}) {
    const scale = options.scale ?? 1;
    if (!Number.isFinite(scale) || scale <= 0 || scale > 10_000) {
      throw new ClockError(`time scale must be a number in (0, 10000], got ${String(options.scale)}`);
    }
    this.scale = scale;
  }

  /** Simulated wall-clock time in epoch milliseconds; starts at the real time of construction. */
  now(): number {
    return this.simOrigin + (performance.now() - this.realOrigin) * this.scale;
  }

  /**
   * The simulated instant of a real epoch-ms instant (a `Date.now()` reading). Whole-ms readings
   * map to simulated instants exactly `scale` ms apart, so the simulated gap between two readings
   * is never shorter than the real one scaled, unlike a mix of `Date.now()` and {@link now}.
   */
  simAt(realEpochMs: number): number {
    return this.simOrigin + (realEpochMs - this.simOrigin) * this.scale;
  }

  /** Simulated seconds elapsed since the clock was created. */
  elapsedSeconds(): number {
    return ((performance.now() - this.realOrigin) * this.scale) / 1000;
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

  /** Calls `listener` for every timer fired from now on; returns the function that stops it. */
  watchLateness(listener: LatenessListener): () => void {
    this.latenessListeners.add(listener);
    return () => this.latenessListeners.delete(listener);
  }

  setTimeout(callback: () => void, simSeconds: number): ClockTimer {
    return notBefore(callback, this.toRealMs(simSeconds), this.recordLate);
  }

  setInterval(callback: () => void, simSeconds: number): ClockTimer {
    const period = this.toRealMs(simSeconds);
    // Node schedules each tick a period after the previous one ran, so each is late on its own.
    let due = performance.now() + period;
    const handle = setInterval(() => {
      const now = performance.now();
      this.recordLate(Math.max(0, now - due), due);
      due = now + period;
      callback();
    }, period);
    return { cancel: () => clearInterval(handle) };
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
      const timer = notBefore(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        this.toRealMs(simSeconds),
        this.recordLate,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * setTimeout that never fires early. Node may run a timer up to a millisecond before its delay
 * has passed on performance.now(); at a time scale of 1000 that is a whole simulated second, and
 * an AWS Wait state or cooldown never ends early, so an early wake-up sleeps the rest.
 */
function notBefore(callback: () => void, realMs: number, recordLate: LatenessListener): ClockTimer {
  const due = performance.now() + realMs;
  let handle: NodeJS.Timeout;
  const arm = (delay: number): void => {
    handle = setTimeout(() => {
      const left = due - performance.now();
      if (left > 0) arm(left);
      else {
        recordLate(-left, due);
        callback();
      }
    }, delay);
  };
  arm(realMs);
  return { cancel: () => clearTimeout(handle) };
}
