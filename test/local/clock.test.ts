import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '../../local/clock.js';

/** Holds the event loop for `ms` of real time, as a synchronous process spawn does. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('Clock', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('compresses simulated time by its scale', async () => {
    const clock = new Clock({ scale: 100 });
    const started = performance.now();
    await clock.sleep(30); // 30 simulated seconds at scale 100 = 300 real ms
    const realMs = performance.now() - started;
    expect(realMs).toBeGreaterThanOrEqual(290);
    expect(realMs).toBeLessThan(1_000);
    expect(clock.elapsedSeconds()).toBeGreaterThanOrEqual(29);
  });

  it('never ends a sleep before its deadline, even when the timer wakes early', async () => {
    const clock = new Clock({ scale: 1 });
    const realNow = performance.now.bind(performance);
    // Make the deadline read 30 ms later than the timer's own delay: the 100 ms timer then wakes
    // "early" as far as performance.now is concerned, as Node timers sometimes do by a millisecond.
    vi.spyOn(performance, 'now').mockImplementationOnce(() => realNow() + 30);
    const started = realNow();
    await clock.sleep(0.1);
    expect(realNow() - started).toBeGreaterThanOrEqual(128);
  });

  it('converts between simulated seconds and real milliseconds', () => {
    const clock = new Clock({ scale: 60 });
    expect(clock.toRealMs(300)).toBe(5_000);
    expect(clock.toSimSeconds(5_000)).toBe(300);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new Clock({ scale: 1 });
    const controller = new AbortController();
    const sleeping = clock.sleep(60, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects scale %s with a message naming it',
    (scale) => {
      expect(() => new Clock({ scale })).toThrow(/time scale must be a number/);
    },
  );

  describe('holds', () => {
    it('stop simulated time, and a timer due meanwhile runs at its simulated moment after the release', async () => {
      const clock = new Clock({ scale: 100 });
      const late: number[] = [];
      clock.watchLateness((lateRealMs) => late.push(lateRealMs));
      const firedAt: number[] = [];
      const setAt = clock.now();
      const fired = new Promise<void>((resolve) =>
        clock.setTimeout(() => {
          firedAt.push(clock.now());
          resolve();
        }, 2),
      );
      const release = clock.hold();
      const heldAt = clock.now();
      blockEventLoop(60); // past the timer's 20 real ms
      expect(clock.now()).toBe(heldAt);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(firedAt).toEqual([]); // due, but the clock is held
      release();
      await fired;

      expect(clock.heldRealMs).toBeGreaterThanOrEqual(85);
      // 2 simulated s after it was set, give or take a timer's wake-up (a few real ms × 100).
      expect(firedAt[0]! - setAt).toBeGreaterThanOrEqual(2_000);
      expect(firedAt[0]! - setAt).toBeLessThan(2_000 + 1_500);
      expect(Math.max(...late)).toBeLessThan(15);
    });

    it('nest: time moves again only when the last one ends, and a second release does nothing', () => {
      const clock = new Clock({ scale: 10 });
      const outer = clock.hold();
      const inner = clock.hold();
      const heldAt = clock.now();
      blockEventLoop(20);
      inner();
      inner();
      expect(clock.now()).toBe(heldAt);
      outer();
      blockEventLoop(20);
      expect(clock.now()).toBeGreaterThan(heldAt);
    });

    it('leave the simulated instants of real readings consistent with now()', () => {
      const clock = new Clock({ scale: 10 });
      const before = Date.now();
      const release = clock.hold();
      blockEventLoop(50);
      const during = Date.now();
      release();
      const after = Date.now();
      // Readings inside the hold map to its start; the hold's length is not simulated time.
      expect(clock.simAt(during)).toBeLessThanOrEqual(clock.simAt(before) + 10 * 5);
      expect(clock.simAt(after) - clock.simAt(before)).toBeLessThan(10 * 10);
      expect(Math.abs(clock.simAt(Date.now()) - clock.now())).toBeLessThan(10 * 3);
    });
  });
});
