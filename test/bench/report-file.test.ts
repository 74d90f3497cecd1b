import { describe, expect, it } from 'vitest';
import { mergedDateLine, mergeRows, previousDate, tableRows } from '../../bench/report-file.js';

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

describe("the report's date line", () => {
  it('keeps the date of benches rerun before, and moves the ones rerun now to today', () => {
    const line = mergedDateLine(
      '2026-11-28; rows of local-api and console: 2026-11-30',
      ['agreement'],
      '2026-12-01',
    );

    expect(line).toBe('2026-11-28; rows of local-api, console: 2026-11-30; rows of agreement: 2026-12-01');
  });

  it('gives a bench rerun again its new date only', () => {
    const line = mergedDateLine(
      '2026-11-28; rows of local-api, console: 2026-11-30',
      ['console'],
      '2026-12-01',
    );

    expect(line).toBe('2026-11-28; rows of local-api: 2026-11-30; rows of console: 2026-12-01');
  });
});
