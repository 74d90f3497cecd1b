import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLab } from '../../cli/executions/serve.js';
import type { LabInventory } from '../../cli/inspect/lab-inventory.js';
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';
import { type ServeFixture, scalelab, serveForTest } from './executions/helpers.js';

/** `scalelab inspect` against the endpoint of a `serve` that holds the lab, at rest. */
describe('scalelab inspect', () => {
  let s: ServeFixture;
  const logDir = mkdtempSync(join(tmpdir(), 'scalelab-inspect-'));
  beforeAll(async () => {
    s = await serveForTest(registerLab(logDir), 60);
  });
  afterAll(async () => {
    await s.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it("lists the lab's group, section-1 instances, target groups and alarms through the AWS APIs", async () => {
    const result = await scalelab(s.serve.url, ['inspect', '--json']);

    expect(result.code, result.stderr).toBe(0);
    const inventory = JSON.parse(result.stdout) as LabInventory;
    const { maxSize } = DEFAULT_LAB_CONFIG.section2;
    expect(inventory.group).toEqual({ name: 'scalelab-serve', desired: 0, min: 0, max: maxSize });
    expect(inventory.instances.map(({ section, state }) => [section, state])).toEqual([
      ['1', 'stopped'],
      ['1', 'stopped'],
    ]);
    expect(inventory.targetGroups.map(({ name }) => name).sort()).toEqual(['scaling-targets', 'web-targets']);
    expect(inventory.alarms.map(({ name }) => /Alarm(High|Low)/.exec(name)?.[0]).sort()).toEqual([
      'AlarmHigh',
      'AlarmLow',
    ]);
  });

  it('prints the same for people, and a clear error where nothing listens', async () => {
    const text = await scalelab(s.serve.url, ['inspect']);
    expect(text.stdout).toContain(
      `group scalelab-serve: desired 0 (min 0, max ${DEFAULT_LAB_CONFIG.section2.maxSize})`,
    );
    expect(text.stdout).toMatch(/AlarmHigh-[\w-]+: \w+ \(CPU > 50 %\)/);

    const nowhere = await scalelab('http://127.0.0.1:9', ['inspect']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^scalelab inspect: .*127\.0\.0\.1:9/);
  });
});
