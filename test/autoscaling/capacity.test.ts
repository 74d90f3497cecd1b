import { describe, expect, it } from 'vitest';
import { scaleInCapacity, scaleOutCapacity } from '../../local/autoscaling/index.js';

const base = { target: 50, min: 0, max: 3 };

describe('target-tracking capacity', () => {
  it.each([
    [{ measuredCapacity: 1, metric: 100, desired: 1 }, 2],
    [{ measuredCapacity: 1, metric: 75, desired: 1 }, 2], // 1.5 instances → rounded up to 2
    [{ measuredCapacity: 2, metric: 90, desired: 2 }, 3], // 3.6 → 4, clamped to max 3
    [{ measuredCapacity: 1, metric: 100, desired: 2 }, 2], // a warming instance already counts
  ])('scales out %j to %i', (input, expected) => {
    expect(scaleOutCapacity({ ...base, ...input })).toBe(expected);
  });

  it.each([
    [{ measuredCapacity: 3, metric: 10, desired: 3 }, 1], // keep ceil(0.6) = 1
    [{ measuredCapacity: 3, metric: 40, desired: 3 }, 3], // keep ceil(2.4) = 3: removing 0.6 rounds down to 0
    [{ measuredCapacity: 2, metric: 0, desired: 2 }, 1], // never below one by itself, even with min 0
    [{ measuredCapacity: 3, metric: 1, desired: 3, min: 2 }, 2],
  ])('scales in %j to %i', (input, expected) => {
    expect(scaleInCapacity({ ...base, ...input })).toBe(expected);
  });
});
