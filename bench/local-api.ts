/**
 * Issue 17's figures: what a call to the local AWS endpoint costs through the real SDK, and what
 * running every handler through the aws adapter costs the lab against the local adapter. Lab runs
 * alternate between the adapters, so both see the same machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { parseLabConfig } from '../lab/config.js';
import { API_REGION, startApiServer } from '../local/api/index.js';
import { LocalAws } from '../local/local-aws.js';
import { LocalStepFunctions } from '../local/stepfunctions/index.js';
import { createLocalLab } from '../local-lab/resources.js';
import { LabRun } from '../local-lab/run/lab-run.js';
import type { HandlerAdapter } from '../local-lab/run/lab-setup.js';
import { runHistory, summarise } from '../local-lab/run/run-folder.js';
import type { Bench, BenchRow } from './bench-row.js';
import { quantile } from './stats.js';

const WARM_UP_CALLS = 50;
const MEASURED_CALLS = 1_000;
/** Lab runs per adapter; a time scale that keeps them short while the machine holds it. */
const LAB_RUNS = Number(process.env.SCALELAB_BENCH_ADAPTER_RUNS ?? 3);
const LAB_TIME_SCALE = 60;
/** "About the same wall time" (issue 17), as a bound. */
const WALL_RATIO_GOAL = 1.2;

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Real ms of each DescribeAutoScalingGroups through the SDK against the lab's group. */
async function describeGroupRoundTrips(): Promise<number[]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'scalelab-bench-api-'));
  const cloud = new LocalAws({ timeScale: 20 });
  const stepFunctions = new LocalStepFunctions({ stateDir, clock: cloud.clock });
  const config = parseLabConfig({});
  try {
    await createLocalLab(cloud, config, { running: false, ports: { web: 0, scaling: 0 } });
    const endpoint = await startApiServer({ stepFunctions, cloud, port: 0 });
    const client = new AutoScalingClient({
      endpoint: endpoint.url,
      region: API_REGION,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    try {
      const command = new DescribeAutoScalingGroupsCommand({
        AutoScalingGroupNames: [config.section2.autoScalingGroupName],
      });
      for (let i = 0; i < WARM_UP_CALLS; i++) await client.send(command);
      const times: number[] = [];
      for (let i = 0; i < MEASURED_CALLS; i++) {
        const started = performance.now();
        await client.send(command);
        times.push(performance.now() - started);
      }
      return times;
    } finally {
      client.destroy();
      await endpoint.close();
    }
  } finally {
    await stepFunctions.close();
    await cloud.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

interface LabResult {
  verdict: string;
  wallSeconds: number;
}

async function runLab(adapter: HandlerAdapter): Promise<LabResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'scalelab-bench-adapter-'));
  const started = performance.now();
  const run = await LabRun.start({
    config: parseLabConfig({ timeScale: LAB_TIME_SCALE }),
    stateDir,
    adapter,
    log: () => undefined,
  });
  try {
    const execution = await run.finished();
    const wallSeconds = (performance.now() - started) / 1000;
    return { verdict: summarise(run, execution, runHistory(run), wallSeconds).verdict.verdict, wallSeconds };
  } finally {
    await run.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function verdicts(results: readonly LabResult[]): string {
  return results.map(({ verdict }) => verdict).join(', ');
}

async function adapterRows(): Promise<BenchRow[]> {
  const local: LabResult[] = [];
  const aws: LabResult[] = [];
  for (let i = 0; i < LAB_RUNS; i++) {
    local.push(await runLab('local'));
    aws.push(await runLab('aws'));
  }
  const median = (results: readonly LabResult[]): number =>
    quantile(
      results.map(({ wallSeconds }) => wallSeconds),
      0.5,
    );
  const ratio = median(aws) / median(local);
  return [
    {
      name: `lab wall time through the aws adapter (time scale ${LAB_TIME_SCALE}, median of ${LAB_RUNS})`,
      value: round(median(aws), 1),
      unit: 's',
      baseline: { name: 'local adapter, same runs alternating', value: round(median(local), 1) },
      goal: `<= ${WALL_RATIO_GOAL}x the local adapter`,
      met: ratio <= WALL_RATIO_GOAL,
      note: `${round(ratio)}x; verdicts aws: ${verdicts(aws)}; local: ${verdicts(local)}`,
    },
  ];
}

export const localApiBench: Bench = async (report) => {
  const times = await describeGroupRoundTrips();
  report({
    name: 'SDK round trip to the local endpoint: DescribeAutoScalingGroups (median)',
    value: round(quantile(times, 0.5)),
    unit: 'ms',
    note: `p99 ${round(quantile(times, 0.99))} ms over ${MEASURED_CALLS} sequential calls after ${WARM_UP_CALLS} to warm up; AWS query protocol, XML`,
  });
  for (const row of await adapterRows()) report(row);
};
