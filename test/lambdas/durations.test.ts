import { describe, expect, it } from 'vitest';
import { humanDuration, humanWindow } from '../../lab/durations.js';

describe('humanDuration', () => {
  it.each([
    [0, '0 s'],
    [42.4, '42 s'],
    [59.6, '1 min'],
    [262.609, '4 min 23 s'],
    [3600, '1 h'],
    [3 * 3600 + 125, '3 h 2 min'],
    [-5, '0 s'],
  ])('%s s reads %s', (seconds, words) => {
    expect(humanDuration(seconds)).toBe(words);
  });

  it('writes a window with both ends in those units', () => {
    expect(humanWindow(180, 385)).toBe('3 min – 6 min 25 s');
  });
});
