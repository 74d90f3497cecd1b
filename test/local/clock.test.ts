import { describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';

describe('Clock', () => {
  it('compresses simulated time by its scale', async () => {
    const clock = new Clock({ scale: 100 });
    const started = performance.now();
    await clock.sleep(30); // 30 simulated seconds at scale 100 = 300 real ms
    const realMs = performance.now() - started;
    expect(realMs).toBeGreaterThanOrEqual(290);
    expect(realMs).toBeLessThan(1_000);
    expect(clock.elapsedSeconds()).toBeGreaterThanOrEqual(29);
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
