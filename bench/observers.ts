/**
 * How fast the operator sees a scaling, over many samples (a lab run gives one of each): the lab's
 * own observe step (its ASL state, the arm-observer handler, the on-scaling-event handler on the
 * bus rule) waits while the bench moves the group's desired capacity 1 → 2 → 1, again and again.
 *
 * - Scale-in: the terminate event completes the wait directly; measured from the event's arrival
 *   on the bus to the task's TaskStateExited (issue 5's goal: median <= 50 ms).
 * - Scale-out: ELB emits no event when the new target turns healthy, so the handler looks every
 *   simulated second after the launch event; measured from the target turning healthy.
 *
 * Every instance warms for an hour (simulated), longer than the bench runs, so the lab's
 * target-tracking policy has no datapoint to act on and only the bench moves the group.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLabConfig } from '../lab/config.js';
import { type Expectation, observerId } from '../lambdas/cloud/cloud.js';
import { LocalAws } from '../local/local-aws.js';
import { LocalStepFunctions } from '../local/stepfunctions/index.js';
import { localTaskHandlers } from '../local-lab/handlers.js';
import type { LocalCloud } from '../local-lab/local-cloud.js';
import { LAB_DEFINITION_PATH, setUpLocalLab } from '../local-lab/run/lab-setup.js';
import type { Bench, BenchRow } from './bench-row.js';
import { quantile } from './stats.js';
import { waitUntil } from './wait.js';

/** Scale-out then scale-in, this many times: one sample of each per cycle. */
const CYCLES = 12;
const GOAL_MS = 50;
/** The lab's default time scale, so the health poll step (one simulated second) is the lab's. */
const TIME_SCALE = 20;
/** Short simulated waits (boot, health checks, draining) keep a cycle near 2 s real. */
const CONFIG = parseLabConfig({
  timeScale: TIME_SCALE,
  instanceBootSeconds: 5,
  deregistrationDelaySeconds: 5,
  healthCheck: { intervalSeconds: 5, timeoutSeconds: 2 },
  section2: { instanceWarmupSeconds: 3600 },
});
const STEP_DEADLINE_MS = 30_000;

/** A one-state machine: the lab's ObserveScaleIn state, its expectation and start time taken from the input. */
function observeDefinition(): string {
  const lab = JSON.parse(readFileSync(LAB_DEFINITION_PATH, 'utf8'));
  const { Catch: _catch, Next: _next, ...observe } = lab.States.ObserveScaleIn;
  const { expectation: _e, 'since.$': _s, coolDownUntil: _c, ...payload } = observe.Parameters.Payload;
  observe.Parameters.Payload = {
    ...payload,
    'expectation.$': '$.expectation',
    'since.$': '$.since',
    coolDownUntil: 0,
  };
  return JSON.stringify({ StartAt: 'Observe', States: { Observe: { ...observe, End: true } } });
}

/** `promise`, or a rejection naming `what` after {@link STEP_DEADLINE_MS}; the timer never outlives it. */
async function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`observer bench: timed out waiting for ${what}`)),
      STEP_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Real times of what the latencies are measured from. */
interface Triggers {
  terminated: number[];
  healthy: number[];
}

class ObserverBench {
  readonly latencies = { scaleIn: [] as number[], scaleOut: [] as number[] };
  private readonly triggers: Triggers = { terminated: [], healthy: [] };
  private stateMachineArn = '';
  private labCloud!: LocalCloud;

  private constructor(
    private readonly cloud: LocalAws,
    private readonly stepFunctions: LocalStepFunctions,
  ) {}

  static async start(stateDir: string): Promise<ObserverBench> {
    const cloud = new LocalAws({ timeScale: TIME_SCALE, bootSeconds: CONFIG.instanceBootSeconds });
    const stepFunctions = new LocalStepFunctions({
      stateDir,
      clock: cloud.clock,
      publish: (event) => void cloud.bus.putEvents([event]),
    });
    const bench = new ObserverBench(cloud, stepFunctions);
    try {
      await bench.setUp();
    } catch (error) {
      await bench.close();
      throw error;
    }
    return bench;
  }

  private async setUp(): Promise<void> {
    const log = (): void => undefined;
    const { labCloud } = await setUpLocalLab({
      cloud: this.cloud,
      stepFunctions: this.stepFunctions,
      config: CONFIG,
      log,
    });
    this.labCloud = labCloud;
    this.stateMachineArn =
      this.stepFunctions.createStateMachine({
        name: 'observe-bench',
        definition: observeDefinition(),
        substitutions: localTaskHandlers({ cloud: labCloud, log, deployedConfig: CONFIG }),
      }).stateMachineArn ?? '';
    this.cloud.bus.subscribe((event) => {
      if (event['detail-type'] === 'EC2 Instance Terminate Successful')
        this.triggers.terminated.push(Date.now());
    });
    this.cloud.elb.onTargetHealthChange(({ current }) => {
      if (current.state === 'healthy') this.triggers.healthy.push(Date.now());
    });
    this.setDesired(1);
    await waitUntil(
      async () => (await this.healthyCount()) === 1,
      'the first instance to be healthy',
      STEP_DEADLINE_MS,
    );
  }

  async cycle(): Promise<void> {
    this.latencies.scaleOut.push(await this.observe('scale-out', 2, this.triggers.healthy));
    this.latencies.scaleIn.push(await this.observe('scale-in', 1, this.triggers.terminated));
  }

  /** Arms an observer, moves the group, and returns real ms from the last trigger to the step's end. */
  private async observe(expectation: Expectation, desired: number, triggers: number[]): Promise<number> {
    const { executionArn = '' } = this.stepFunctions.startExecution({
      stateMachineArn: this.stateMachineArn,
      input: JSON.stringify({ lab: { config: CONFIG }, expectation, since: this.cloud.clock.now() }),
    });
    const id = observerId(executionArn, expectation);
    await waitUntil(
      async () => {
        const { status, cause } = this.stepFunctions.describeExecution({ executionArn });
        if (status !== 'RUNNING')
          throw new Error(`${expectation} observation ended ${status} before arming: ${cause}`);
        return (await this.labCloud.getArmedObservers()).some((o) => o.observerId === id);
      },
      `the ${expectation} observer to be armed`,
      STEP_DEADLINE_MS,
    );
    this.setDesired(desired);
    const settled = await withDeadline(
      this.stepFunctions.whenSettled(executionArn),
      `the ${expectation} step to end`,
    );
    if (settled.status !== 'SUCCEEDED') throw new Error(`${expectation} observation ended ${settled.status}`);
    const exited = this.stepFunctions
      .getExecutionHistory({ executionArn, maxResults: 1000 })
      .events.find((event) => event.type === 'TaskStateExited');
    const exitedAt = exited?.realTimestamp?.getTime() ?? Number.NaN;
    const trigger = triggers.filter((at) => at <= exitedAt).at(-1);
    if (trigger === undefined) throw new Error(`no ${expectation} trigger before the step ended`);
    return exitedAt - trigger;
  }

  private setDesired(desiredCapacity: number): void {
    this.cloud.autoscaling.setDesiredCapacity({
      autoScalingGroupName: CONFIG.section2.autoScalingGroupName,
      desiredCapacity,
    });
  }

  private async healthyCount(): Promise<number> {
    const targets = await this.labCloud.describeTargetHealth('scaling');
    return targets.filter((t) => t.state === 'healthy').length;
  }

  async close(): Promise<void> {
    await this.stepFunctions.close();
    await this.cloud.close();
  }
}

function latencyRow(name: string, samples: number[], extra: Partial<BenchRow>, note: string): BenchRow {
  const median = quantile(samples, 0.5);
  return {
    name: `${name} (median of ${samples.length})`,
    value: Math.round(median),
    unit: 'ms',
    ...extra,
    note: `p95 ${Math.round(quantile(samples, 0.95))} ms, max ${Math.round(Math.max(...samples))} ms; ${note}`,
  };
}

export const observersBench: Bench = async (report) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'scalelab-observers-bench-'));
  try {
    const bench = await ObserverBench.start(stateDir);
    try {
      for (let i = 0; i < CYCLES; i++) await bench.cycle();
    } finally {
      await bench.close();
    }
    const { scaleIn, scaleOut } = bench.latencies;
    const median = quantile(scaleIn, 0.5);
    report(
      latencyRow(
        'terminate event -> ObserveScaleIn completed',
        scaleIn,
        { goal: `median <= ${GOAL_MS} ms`, met: median <= GOAL_MS },
        'the lab state and handlers, group moved 2 -> 1 by the bench',
      ),
    );
    report(
      latencyRow(
        'new target healthy -> ObserveScaleOut completed',
        scaleOut,
        {},
        `bounded by the handler's health poll step, one simulated second (${1000 / TIME_SCALE} ms at time scale ${TIME_SCALE}, 1 s on AWS); near the whole step because the polls and the health checks both start at the launch, so the passing check lands just after a poll`,
      ),
    );
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
};
