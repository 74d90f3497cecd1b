import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LAB_CONFIG, type LabConfig, parseLabConfig } from '../../lab/config.js';
import { scalingEventPattern } from '../../lambdas/on-scaling-event/pattern.js';
import { Clock } from '../../local/clock.js';
import { type DeliveryFaults, LocalEventBus } from '../../local/eventbridge/index.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { localScalingEventTarget, localTaskHandlers } from '../../local-lab/handlers.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeCloud, fakeLoadBalancers, type TaskResponse } from '../lambdas/fake-cloud.js';

const DEFINITION = fs.readFileSync(
  path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'state-machines',
    'lab-lifecycle.asl.json',
  ),
  'utf8',
);
const SCALE = 1000;

interface Lab {
  service: LocalStepFunctions;
  cloud: FakeCloud;
  onEvent: (event: unknown) => Promise<unknown>;
  /** A local bus whose Auto Scaling rule targets onEvent, through `faults` when given. */
  bus: LocalEventBus;
  start(config?: unknown): Promise<string>;
  /** Starts an execution with `input` as the whole execution input. */
  startWithInput(input: unknown): Promise<string>;
  historyTypes(arn: string): string[];
  enteredStates(arn: string): string[];
}

const opened: { service: LocalStepFunctions; dir: string }[] = [];
const buses: LocalEventBus[] = [];

function lab(options: { webStatus?: number; deployedConfig?: LabConfig; faults?: DeliveryFaults } = {}): Lab {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-lab-'));
  const clock = new Clock({ scale: SCALE });
  const service = new LocalStepFunctions({ stateDir: dir, clock });
  opened.push({ service, dir });
  // Task responses go to the local service as the aws adapter's go to Step Functions.
  const respond = (r: TaskResponse) => {
    try {
      if (r.kind === 'success')
        service.sendTaskSuccess({ taskToken: r.token, output: JSON.stringify(r.output) });
      else if (r.kind === 'heartbeat') service.sendTaskHeartbeat({ taskToken: r.token });
      else service.sendTaskFailure({ taskToken: r.token, error: r.error, cause: r.cause });
      return 'sent' as const;
    } catch (error) {
      if (error instanceof Error && ['TaskDoesNotExist', 'TaskTimedOut'].includes(error.name))
        return 'task-closed' as const;
      throw error;
    }
  };
  const cloud = new FakeCloud({ clock, respond });
  const { fetch } = fakeLoadBalancers(options);
  const quiet = () => undefined;
  const handlerOptions = {
    cloud,
    fetch,
    log: quiet,
    deployedConfig: options.deployedConfig ?? DEFAULT_LAB_CONFIG,
  };
  const substitutions = localTaskHandlers(handlerOptions);
  const { stateMachineArn } = service.createStateMachine({
    name: 'lab-lifecycle',
    definition: DEFINITION,
    substitutions,
  });
  const onEvent = localScalingEventTarget(handlerOptions);
  const bus = new LocalEventBus({ clock, faults: options.faults });
  buses.push(bus);
  bus.putRule({ name: 'scaling-events', eventPattern: scalingEventPattern('scalelab-serve') });
  bus.putTargets('scaling-events', [
    { id: 'on-scaling-event', handler: async (event) => void (await onEvent(event)) },
  ]);
  return {
    service,
    cloud,
    onEvent,
    bus,
    async start(config = {}) {
      return this.startWithInput({ config });
    },
    async startWithInput(input) {
      const { executionArn } = service.startExecution({ stateMachineArn, input: JSON.stringify(input) });
      return executionArn ?? '';
    },
    historyTypes(arn) {
      return (service.getExecutionHistory({ executionArn: arn, maxResults: 1000 }).events ?? []).map(
        (e) => e.type ?? '',
      );
    },
    enteredStates(arn) {
      return (service.getExecutionHistory({ executionArn: arn, maxResults: 1000 }).events ?? [])
        .map((e) => e.stateEnteredEventDetails?.name)
        .filter((n): n is string => typeof n === 'string');
    },
  };
}

function autoScalingEvent(detailType: string, instanceId: string) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': detailType,
    source: 'aws.autoscaling',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      AutoScalingGroupName: 'scalelab-serve',
      EC2InstanceId: instanceId,
      Cause: 'test',
      StatusCode: 'InProgress',
    },
  };
}

/** Waits until the observer for `expectation` is armed and simulated time is `seconds` past its `since`. */
async function armedAndAged(cloud: FakeCloud, expectation: string, seconds: number) {
  const observer = await waitFor(
    () => [...cloud.observers.values()].find((o) => o.expectation === expectation),
    {
      what: `${expectation} observer`,
    },
  );
  await waitFor(() => cloud.now() >= observer.since + seconds * 1000, { what: `${seconds} s after since` });
}

function torndown(cloud: FakeCloud): void {
  expect(cloud.section1.every((i) => i.state === 'stopped')).toBe(true);
  expect(cloud.present()).toEqual([]);
  expect(cloud.observers.size).toBe(0);
}

describe('the lab lifecycle through the local engine, with a fake cloud', () => {
  afterEach(async () => {
    for (const bus of buses.splice(0)) bus.close();
    for (const { service, dir } of opened.splice(0)) {
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the happy path to PASS, events completing the observe steps', async () => {
    const h = lab();
    const arn = await h.start();

    await armedAndAged(h.cloud, 'scale-out', 240);
    const launched = h.cloud.launch(true);
    await h.onEvent(autoScalingEvent('EC2 Instance Launch Successful', launched));
    await h.onEvent(autoScalingEvent('EC2 Instance Launch Successful', launched)); // a duplicate
    await armedAndAged(h.cloud, 'scale-in', 900);
    const terminated = h.cloud.terminate() ?? '';
    await h.onEvent(autoScalingEvent('EC2 Instance Terminate Successful', terminated));
    const result = await h.service.whenSettled(arn);

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output ?? '{}');
    expect(output.verdict.verdict).toBe('PASS');
    // Which path saw it first is a race at ×1000 (a round is 30 ms): the event completes the round
    // it arrives in, or, if that round had just timed out, the next round's arming sees it. The
    // paths are pinned down by the tests below; here the lab must pass with events.
    expect(output.scaleOut).toMatchObject({ held: true, healthyInService: 2 });
    expect(output.scaleOut.elapsedSeconds).toBeGreaterThanOrEqual(240);
    expect(output.scaleIn).toMatchObject({ held: true, present: 1 });
    expect(output.loadBalancing.requestsPerInstance).toEqual({ 'i-web-1': 10, 'i-web-2': 10 });
    // The verdict's timeline reaches the execution's output: the scale-out instance, from the events.
    const row = output.verdict.timelines.instances.find(
      (r: { instanceId: string }) => r.instanceId === launched,
    );
    // (These events carry the real time, not the fake clock's, so only their presence is checked.)
    expect(output.verdict.timelines.from).toBe('stress start');
    expect(Object.keys(row.seconds)).toEqual(expect.arrayContaining(['in-service', 'terminated']));
    expect(h.enteredStates(arn)).toEqual(
      expect.arrayContaining([
        'Validate',
        'Provision',
        'CheckHealth',
        'VerifyLoadBalancing',
        'StartStress',
        'CoolDown',
        'TearDown',
        'Verdict',
      ]),
    );
    torndown(h.cloud);
    expect(h.cloud.events.map((e) => e.detailType)).toContain('Lab Verdict');
  });

  it('tears down and fails with HealthCheckTimeout when health is never reached', async () => {
    const h = lab();
    h.cloud.webBecomesHealthy = false;

    const arn = await h.start({ timeouts: { healthySeconds: 30, healthPollSeconds: 10 } });
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'HealthCheckTimeout' });
    expect(result.cause).toContain('section 1 0/2 targets healthy');
    expect(h.enteredStates(arn).filter((s) => s === 'CheckHealth')).toHaveLength(3);
    expect(h.enteredStates(arn)).toContain('TearDownAfterError');
    torndown(h.cloud);
  });

  it('tears down and fails with ScalingNotObserved when scale-out never happens', async () => {
    const h = lab();

    const arn = await h.start();
    const result = await h.service.whenSettled(arn);

    // No instance is ever launched: the rounds re-check until 1.5 × the upper bound (578 s), so
    // the round that gives up starts at most one round (30 s) after that, plus the engine's real
    // overhead per round, which at ×1000 (1 real ms = 1 simulated s) adds up to another round.
    expect(result).toMatchObject({ status: 'FAILED', error: 'ScalingNotObserved' });
    const [, seconds] =
      /^scale-out was not seen within ([\d.]+) s of the stress start$/.exec(result.cause ?? '') ?? [];
    expect(Number(seconds)).toBeGreaterThanOrEqual(578);
    expect(Number(seconds)).toBeLessThanOrEqual(578 + 2 * 30);
    expect(h.enteredStates(arn)).toEqual(
      expect.arrayContaining([
        'ObserveScaleOut',
        'ScaleOutNotObserved',
        'TearDownAfterError',
        'VerdictAfterError',
      ]),
    );
    expect(h.enteredStates(arn)).not.toContain('ObserveScaleIn');
    torndown(h.cloud);
  });

  it('fails with ScalingNotObserved, after heartbeats, when the new instance never becomes healthy', async () => {
    const h = lab();
    const arn = await h.start();

    await armedAndAged(h.cloud, 'scale-out', 200);
    const launched = h.cloud.launch(false);
    await h.onEvent(autoScalingEvent('EC2 Instance Launch Successful', launched));
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'ScalingNotObserved' });
    expect(h.cloud.responses.some((r) => r.kind === 'heartbeat')).toBe(true);
    torndown(h.cloud);
  });

  it('sees scale-out and scale-in by re-checking when every Auto Scaling event is lost', async () => {
    const h = lab();
    const arn = await h.start();

    await armedAndAged(h.cloud, 'scale-out', 240);
    h.cloud.launch(true); // no event
    await armedAndAged(h.cloud, 'scale-in', 900);
    h.cloud.terminate(); // no event
    const result = await h.service.whenSettled(arn);

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output ?? '{}');
    expect(output.verdict.verdict).toBe('PASS');
    expect(output.scaleOut).toMatchObject({ held: true, trigger: 're-check' });
    // At most one round (30 s) late, plus the engine's real overhead, which at ×1000 (1 real ms =
    // 1 simulated s) can add up to another round on a busy machine.
    expect(output.scaleOut.elapsedSeconds).toBeLessThanOrEqual(240 + 2 * 30);
    expect(output.scaleIn).toMatchObject({ held: true, trigger: 're-check' });
  });

  it('stays PASS when Auto Scaling events are dropped, duplicated, delayed and reordered', async () => {
    const h = lab({
      faults: { drop: 0.3, duplicate: 0.3, delay: 0.3, reorder: 0.3, maxDelaySeconds: 20, seed: 3 },
    });
    const arn = await h.start();
    const put = (detailType: string, id: string) =>
      h.bus.putEvents([
        {
          Source: 'aws.autoscaling',
          DetailType: detailType,
          Resources: [],
          Detail: JSON.stringify(autoScalingEvent(detailType, id).detail),
        },
      ]);

    await armedAndAged(h.cloud, 'scale-out', 200);
    put('EC2 Instance Terminate Unsuccessful', 'i-noise-1');
    put('EC2 Instance Launch Successful', h.cloud.launch(true));
    put('EC2 Instance Launch Unsuccessful', 'i-noise-2');
    await armedAndAged(h.cloud, 'scale-in', 900);
    put('EC2 Instance Terminate Successful', h.cloud.terminate() ?? '');
    put('EC2 Instance Launch Unsuccessful', 'i-noise-3');
    const result = await h.service.whenSettled(arn);

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '{}').verdict.verdict).toBe('PASS');
    expect(h.bus.faultRecords().length).toBeGreaterThan(0);
    torndown(h.cloud);
  });

  it('measures a scale-out that comes after the upper bound and fails the verdict as late, not missing', async () => {
    const h = lab();
    const arn = await h.start();

    await armedAndAged(h.cloud, 'scale-out', 450);
    const launched = h.cloud.launch(true);
    await h.onEvent(autoScalingEvent('EC2 Instance Launch Successful', launched));
    await armedAndAged(h.cloud, 'scale-in', 900);
    h.cloud.terminate();
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'LabVerdictFail' });
    const verdict = h.cloud.events.find((e) => e.detailType === 'Lab Verdict')?.detail as {
      expectations: { name: string; held: boolean; measured: string }[];
    };
    const scaleOut = verdict.expectations.find((e) => e.name.startsWith('scale-out'));
    expect(scaleOut).toMatchObject({ held: false });
    // "7 min 31 s: happened, but later than the upper bound (…)"
    const [, minutes, seconds] =
      /^(\d+) min (\d+) s: happened, but later than the upper bound/.exec(scaleOut?.measured ?? '') ?? [];
    const late = Number(minutes) * 60 + Number(seconds);
    expect(late).toBeGreaterThan(385);
    expect(late).toBeLessThan(578);
  });

  it('catches a handler that throws, tears down, and fails with its error and cause', async () => {
    const h = lab({ webStatus: 502 });

    const arn = await h.start();
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'LoadBalancingNotVerified' });
    expect(result.cause).toContain('GETs through load balancer');
    expect(h.enteredStates(arn)).toEqual(expect.arrayContaining(['TearDownAfterError', 'VerdictAfterError']));
    torndown(h.cloud);
  });

  it('refuses a bad configuration before provisioning anything', async () => {
    const h = lab();

    const arn = await h.start({ section2: { scaleOutTo: 4 } });
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'InvalidLabConfig' });
    expect(result.cause).toContain(
      'section2.scaleOutTo must be above desiredCapacity and at most maxSize (got 4, desired 1, max 3)',
    );
    expect(h.cloud.calls).not.toContain('startSection1Instances');
    expect(h.cloud.calls).toContain('stopSection1Instances');
  });

  it("runs the AWS console's pre-filled input through Validate to Provision", async () => {
    const h = lab();
    h.cloud.webBecomesHealthy = false; // ends the run at the health wait, 300 simulated s later

    const arn = await h.startWithInput({ Comment: 'Insert your JSON here' });
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'HealthCheckTimeout' });
    expect(h.enteredStates(arn).slice(0, 3)).toEqual(['Validate', 'Provision', 'InitHealthWait']);
    expect(h.cloud.calls).toContain('updateGroupSize 0/3/1');
  });

  it('provisions the deployed configuration, not the defaults, when the input overrides nothing', async () => {
    const h = lab({ deployedConfig: parseLabConfig({ section2: { maxSize: 4 } }) });
    h.cloud.webBecomesHealthy = false;

    const arn = await h.start({ section1: { seedValue: 7 } });
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'HealthCheckTimeout' });
    expect(h.cloud.calls).toContain('updateGroupSize 0/4/1');
  });

  it('accepts the whole deployed configuration as input, as scalelab run sends the one it built its lab with', async () => {
    const built = parseLabConfig({ section2: { maxSize: 4 }, timeScale: SCALE });
    const h = lab({ deployedConfig: built });
    h.cloud.webBecomesHealthy = false;

    const arn = await h.start(built);
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'HealthCheckTimeout' });
    expect(h.cloud.calls).toContain('updateGroupSize 0/4/1');
  });

  it('refuses at Validate an input that changes a field fixed at deploy, naming it, and tears down as deployed', async () => {
    const h = lab({ deployedConfig: parseLabConfig({ section2: { maxSize: 4 } }) });

    const arn = await h.start({ section2: { maxSize: 3 } });
    const result = await h.service.whenSettled(arn);

    expect(result).toMatchObject({ status: 'FAILED', error: 'InvalidLabConfig' });
    expect(result.cause).toContain(
      'section2.maxSize is fixed at deploy (the lab was deployed with 4, the input asks for 3)',
    );
    expect(h.enteredStates(arn)).not.toContain('Provision');
    expect(h.cloud.calls).not.toContain('startSection1Instances');
    // Tear-down after the refusal leaves the group's maxSize as deployed.
    expect(h.cloud.calls).toContain('updateGroupSize 0/4/0');
  });
});
