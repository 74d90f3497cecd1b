import { describe, expect, it } from 'vitest';
import { eventFaultsFrom } from '../../cli/event-fault-options.js';

describe('--event-faults and --fault-seed', () => {
  it('are off unless asked for', () => {
    expect(eventFaultsFrom({})).toBeUndefined();
  });

  it('read name=fraction pairs and a seed', () => {
    expect(eventFaultsFrom({ 'event-faults': 'drop=1', 'fault-seed': '7' })).toEqual({ drop: 1, seed: 7 });
    expect(eventFaultsFrom({ 'event-faults': 'duplicate=0.2,reorder=0.5,delay=0' })).toEqual({
      duplicate: 0.2,
      reorder: 0.5,
      delay: 0,
    });
  });

  it.each([
    [
      { 'event-faults': 'lose=1' },
      "--event-faults: 'lose=1' is not one of drop=F, duplicate=F, delay=F, reorder=F",
    ],
    [{ 'event-faults': 'drop=2' }, "--event-faults: drop must be a fraction from 0 to 1 (got '2')"],
    [{ 'event-faults': 'drop=' }, "--event-faults: drop must be a fraction from 0 to 1 (got '')"],
    [{ 'event-faults': 'drop=1', 'fault-seed': 'x' }, "--fault-seed must be an integer (got 'x')"],
    [{ 'fault-seed': '3' }, '--fault-seed goes with --event-faults'],
  ])('refuse %j naming what is wrong (a usage error, exit 2)', (values, message) => {
    expect(() => eventFaultsFrom(values)).toThrow(expect.objectContaining({ name: 'UsageError', message }));
  });
});
