import { describe, expect, it } from 'vitest';
import { mergeRows, previousDate, tableRows } from '../../bench/report-file.js';

const REPORT = `# Benchmarks

- Date: 2026-11-28
- Machine: 2 cores

| what | measured | baseline (same run) | goal | met | notes |
| --- | --- | --- | --- | --- | --- |
| seed app throughput | 36753 req/s | — | — | — | wrk |
| lab at time scale 240: runs that PASS | 9 of 10 | — | 10 of 10 | **no** | old |

## Reading the figures
`;

describe('BENCHMARKS.md refreshed in part', () => {
  it('reads the table rows, leaving the header, the separator and the prose out', () => {
    expect(tableRows(REPORT)).toEqual([
      ['seed app throughput', '36753 req/s', '—', '—', '—', 'wrk'],
      ['lab at time scale 240: runs that PASS', '9 of 10', '—', '10 of 10', '**no**', 'old'],
    ]);
    expect(previousDate(REPORT)).toBe('2026-11-28');
  });

  it('replaces the rows a bench measured again, keeps the others in place and appends new ones', () => {
    const fresh = [
      ['lab at time scale 240: runs that PASS', '10 of 10', '—', '10 of 10', 'yes', 'new'],
      ['lab at time scale 500: runs that FAIL', '0 of 3', '—', '0', 'yes', ''],
    ];
    expect(mergeRows(tableRows(REPORT), fresh)).toEqual([
      ['seed app throughput', '36753 req/s', '—', '—', '—', 'wrk'],
      ['lab at time scale 240: runs that PASS', '10 of 10', '—', '10 of 10', 'yes', 'new'],
      ['lab at time scale 500: runs that FAIL', '0 of 3', '—', '0', 'yes', ''],
    ]);
  });
});
