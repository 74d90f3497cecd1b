import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeBudgets } from '../lab/budgets.js';
import { type LabConfig, parseLabConfig } from '../lab/config.js';
import { LabRun } from '../local-lab/run/lab-run.js';
import type { Bench, BenchRow } from './bench-row.js';

/**
 * The waits the configuration imposes on any correct run, in simulated seconds: the first
 * instance's boot, its warm-up, the stress (cool-down lasts until it ends), the scale-in alarm's
 * 15 datapoints plus draining (the scale-in budget's lower bound), and the final draining.
 */
function floorSeconds(config: LabConfig): number {
  const budgets = computeBudgets(config);
  return (
    config.instanceBootSeconds +
    config.section2.instanceWarmupSeconds +
    config.stress.seconds +
    budgets.scaleIn.lowerSeconds +
    config.deregistrationDelaySeconds
  );
}

interface ObserveLatency {
  state: string;
  ms: number;
}

/** Real ms from the last trigger (epoch ms) at or before each observe step's completion, to that completion. */
function observeLatencies(
  history: { type?: string; realTimestamp?: Date; name?: string }[],
  triggers: readonly number[],
): ObserveLatency[] {
  const latencies: ObserveLatency[] = [];
  for (const event of history) {
    if (event.type !== 'TaskStateExited' || !event.name?.startsWith('Observe')) continue;
    const completedAt = event.realTimestamp?.getTime() ?? 0;
    const trigger = triggers.filter((at) => at <= completedAt).at(-1);
    if (trigger !== undefined) latencies.push({ state: event.name, ms: completedAt - trigger });
  }
  return latencies;
}

/** Issue 5's figures: the lab's real wall time against its floor, and event-to-completion latency. */
export const labBench: Bench = async (report) => {
  const config = parseLabConfig();
  const stateDir = mkdtempSync(join(tmpdir(), 'scalelab-bench-'));
  const started = performance.now();
  const run = await LabRun.start({ config, stateDir, log: () => undefined });
  // ELB emits no event when a target turns healthy, so the bench watches the local ELB itself.
  const healthyAt: number[] = [];
  const unwatch = run.cloud.elb.onTargetHealthChange(({ current }) => {
    if (current.state === 'healthy') healthyAt.push(Date.now());
  });
  try {
    const execution = await run.finished();
    const wall = (performance.now() - started) / 1000;
    const floor = floorSeconds(config) / config.timeScale;
    const ratio = Math.round((wall / floor) * 100) / 100;
    const rows: BenchRow[] = [
      {
        name: `lab wall time at time scale ${config.timeScale} (${execution.status})`,
        value: Math.round(wall * 10) / 10,
        unit: 's',
        baseline: {
          name: 'floor: scaled waits the configuration imposes',
          value: Math.round(floor * 10) / 10,
        },
        goal: '<= 1.3x floor',
        met: ratio <= 1.3,
        note: `${ratio}x; verdict ${run.verdict?.verdict ?? 'none'}`,
      },
    ];
    const history = run.stepFunctions
      .getExecutionHistory({ executionArn: run.executionArn, maxResults: 1000 })
      .events.map((e) => ({
        type: e.type,
        realTimestamp: e.realTimestamp,
        name: e.stateExitedEventDetails?.name,
      }));
    const scalingEventsAt = run.eventArrivals.filter((_, i) => run.events[i]?.source === 'aws.autoscaling');
    for (const { state, ms } of observeLatencies(history, scalingEventsAt)) {
      rows.push({
        name: `Auto Scaling event -> ${state} completed`,
        value: ms,
        unit: 'ms',
        note:
          state === 'ObserveScaleOut'
            ? 'includes the new target passing its health check, seen by polling every simulated second after the launch event (ELB emits no health events)'
            : 'the terminate event completes the wait directly; one sample per run (the observers rows give the median)',
      });
    }
    const sinceHealthy = observeLatencies(history, healthyAt).find((l) => l.state === 'ObserveScaleOut');
    if (sinceHealthy) {
      rows.push({
        name: 'new target healthy -> ObserveScaleOut completed',
        value: sinceHealthy.ms,
        unit: 'ms',
        note: `the handler looks every simulated second after the launch event (${Math.round(1000 / config.timeScale)} ms here); one sample per run`,
      });
    }
    for (const row of rows) report(row);
  } finally {
    unwatch();
    await run.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
};
