import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { CLI } from '../helpers/processes.js';

function scalelab(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 10_000 });
}

describe('scalelab config', () => {
  it('prints the defaults when given nothing', () => {
    const result = scalelab(['config']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(parseLabConfig());
  });

  it('merges --config, then --set, then --time-scale, as run does', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'scalelab-config-')), 'lab.json');
    writeFileSync(file, JSON.stringify({ section2: { maxSize: 3, targetCpuPercent: 40 } }));
    const result = scalelab([
      'config',
      '--config',
      file,
      '--set',
      'section2.maxSize=5',
      '--time-scale',
      '50',
    ]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      parseLabConfig({ section2: { maxSize: 5, targetCpuPercent: 40 }, timeScale: 50 }),
    );
  });

  it('prints one line with --json', () => {
    const result = scalelab(['config', '--json']);
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--set', 'section2.maxSize=abc'], /section2\.maxSize must be a number/],
    [['--set', 'nope'], /--set needs path=value/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('exits 2 naming what is wrong for %j', (args, message) => {
    const result = scalelab(['config', ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
