import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLab, type ServeContext } from '../../../cli/executions/serve.js';
import type { LabSummary } from '../../../local-lab/run/run-folder.js';
import { waitFor } from '../../helpers/wait-for.js';
import { labAtRest, type ServeFixture, scalelab, serveForTest } from './helpers.js';

/** Every execution of the lab through `serve` gets the run folder `scalelab run` writes. */
describe('scalelab serve: every lab execution gets its evidence', () => {
  let s: ServeFixture;
  let context: ServeContext;
  const dir = mkdtempSync(join(tmpdir(), 'scalelab-serve-evidence-'));
  const runsDir = join(dir, 'runs');
  /** Slow enough that the lab is still running when the test stops it, on a loaded CI runner too. */
  const TIME_SCALE = 20;
  beforeAll(async () => {
    s = await serveForTest(async (served) => {
      context = served;
      return registerLab(dir, runsDir)(served);
    }, TIME_SCALE);
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stopped execution: run folder with summary.json and report.html; show prints the verdict table', async () => {
    // Prepare: an execution stopped once the lab is provisioned.
    expect((await scalelab(s.serve.url, ['start', '--name', 'ev-1'])).code).toBe(0);
    await waitFor(
      async () => {
        const view = JSON.parse((await scalelab(s.serve.url, ['show', 'ev-1', '--json'])).stdout) as {
          phases: { name: string }[];
        };
        return view.phases.some(({ name }) => name === 'CheckHealth');
      },
      { timeoutMs: 30_000, what: 'ev-1 to reach its health checks' },
    );
    expect((await scalelab(s.serve.url, ['stop', 'ev-1'])).code).toBe(0);

    // Act
    const folder = join(runsDir, 'ev-1');
    await waitFor(() => existsSync(join(folder, 'summary.json')), {
      timeoutMs: 30_000,
      what: 'the run folder of ev-1',
    });
    const shown = await scalelab(s.serve.url, ['show', 'ev-1', '--runs-dir', runsDir]);
    const json = await scalelab(s.serve.url, ['show', 'ev-1', '--runs-dir', runsDir, '--json']);

    // Assess: the same folder `run` writes, with what was measured.
    const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as LabSummary;
    expect(summary.execution).toMatchObject({ name: 'ev-1', status: 'ABORTED' });
    expect(summary.verdict.verdict).toBe('FAIL');
    expect(summary.verdict.reason).toContain('ended ABORTED before a verdict');
    expect(summary.timeScale).toBe(TIME_SCALE);
    expect(summary.lag.toleranceSimulatedSeconds).toBeGreaterThan(0);
    expect(summary.phases.map(({ phase }) => phase).slice(0, 2)).toEqual(['Validate', 'Provision']);
    for (const file of ['report.html', 'history.json', 'events.json', 'metrics.json', 'execution.json'])
      expect(existsSync(join(folder, file)), file).toBe(true);
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toContain('ev-1');

    expect(shown.code).toBe(1);
    expect(shown.stdout).toMatch(/^Status {5}ABORTED$/m);
    expect(shown.stdout).toContain(`Run folder ${folder}`);
    expect(shown.stdout).toContain('no verdict: the execution ended ABORTED before a verdict');
    expect(shown.stdout).toMatch(/^ {2}Provision +\S.* simulated +\d+\.\d s real$/m);
    expect(shown.stdout).toMatch(new RegExp(`\\(ABORTED, [\\d.]+ s real at time scale ${TIME_SCALE}; lag `));
    // No state-by-state list, no line of JSON.
    expect(shown.stdout).not.toMatch(/CheckHealth|Output/);
    for (const line of shown.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    const document = JSON.parse(json.stdout) as { runFolder: string; summary: LabSummary };
    expect(document.runFolder).toBe(folder);
    expect(document.summary.execution.status).toBe('ABORTED');

    // Without the folder: the same table from the history, saying what it cannot know.
    const bare = await scalelab(s.serve.url, ['show', 'ev-1', '--runs-dir', join(dir, 'elsewhere')]);
    expect(bare.stdout).toContain('no verdict: the execution ended ABORTED before a verdict');
    expect(bare.stdout).toContain('real time and lag not measured: no run folder for this execution');
    expect(bare.stdout).not.toMatch(/s real$/m);
    await labAtRest(context);
  }, 120_000);

  it('a redriven execution: its folder rewritten when the redrive ends, saying what was measured only since', async () => {
    // Prepare: ev-1 ended ABORTED in the test above.
    const file = join(runsDir, 'ev-1', 'summary.json');
    const before = JSON.parse(readFileSync(file, 'utf8')) as LabSummary;

    // Act
    expect((await scalelab(s.serve.url, ['redrive', 'ev-1'])).code).toBe(0);
    // The lab was torn down after the stop: the redrive may fail on its own before this stop.
    await scalelab(s.serve.url, ['stop', 'ev-1']);
    const after = await waitFor(
      () => {
        const summary = JSON.parse(readFileSync(file, 'utf8')) as LabSummary;
        return summary.execution.stopDate !== before.execution.stopDate ? summary : undefined;
      },
      { timeoutMs: 30_000, what: 'the run folder of the redriven ev-1' },
    );

    // Assess
    expect(['ABORTED', 'FAILED']).toContain(after.execution.status);
    expect(after.notMeasured?.lag).toMatch(/^measured only from the latest redrive at \S+Z \(redrive 1\)/);
    expect(before.notMeasured).toBeUndefined();
    await labAtRest(context);
  }, 90_000);
});
