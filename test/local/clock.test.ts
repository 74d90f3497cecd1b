import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '../../local/clock.js';

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
});
