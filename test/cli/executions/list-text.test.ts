import type { ExecutionListItem } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../cli/display-width.js';
import { listText } from '../../../cli/executions/render.js';

function item(name: string): ExecutionListItem {
  return {
    name,
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:${name}`,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:lab-lifecycle',
    status: 'SUCCEEDED',
    startDate: new Date('2026-01-01T00:00:00Z'),
    stopDate: new Date('2026-01-01T00:01:40Z'),
  };
}

describe('scalelab list with names people type', () => {
  it('aligns the columns of CJK, emoji and combining-mark names by the columns they take', () => {
    // Prepare: 5, 6 (two ideographs), 4 (an emoji) and 4 (e + a combining acute) columns wide.
    const names = ['lab-1', '実験-2', '🚀-3', 'cafe\u0301'];

    // Act
    const lines = listText(names.map(item)).split('\n');

    // Assess: every STATUS cell starts at column 8 (the widest name, 6, and two spaces).
    expect(lines).toEqual([
      'NAME    STATUS     STARTED                   DURATION',
      `lab-1   SUCCEEDED  2026-01-01T00:00:00.000Z  1 min 40 s`,
      `実験-2  SUCCEEDED  2026-01-01T00:00:00.000Z  1 min 40 s`,
      `🚀-3    SUCCEEDED  2026-01-01T00:00:00.000Z  1 min 40 s`,
      `cafe\u0301    SUCCEEDED  2026-01-01T00:00:00.000Z  1 min 40 s`,
    ]);
  });

  it('shows the real start and duration locally, the simulated duration labelled, and says when it has no real date', () => {
    // Prepare: a x60 run of 100 real seconds, and an execution recorded before real dates were kept.
    const run = { ...item('lab-1'), stopDate: new Date('2026-01-01T01:40:00Z') };
    const old = item('old-1');
    const real = new Map([
      [
        run.executionArn ?? '',
        { realStartDate: new Date('2025-12-31T23:59:00Z'), realStopDate: new Date('2026-01-01T00:00:40Z') },
      ],
    ]);

    // Act
    const lines = listText([run, old], real).split('\n');

    // Assess
    expect(lines).toEqual([
      'NAME   STATUS     STARTED                               DURATION    SIMULATED',
      'lab-1  SUCCEEDED  2025-12-31T23:59:00.000Z              1 min 40 s  1 h 40 min',
      'old-1  SUCCEEDED  2026-01-01T00:00:00.000Z (simulated)  -           1 min 40 s',
    ]);
  });

  it.each([
    ['lab-1', 5],
    ['実験', 4],
    ['ｆｕｌｌ', 8],
    ['한국어', 6],
    ['🚀', 2],
    ['👩‍💻', 2],
    ['🇯🇵', 2],
    ['❤️', 2],
    ['cafe\u0301', 4],
    ['a\u200bb', 2],
    ['', 0],
  ])('measures %j as %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});
