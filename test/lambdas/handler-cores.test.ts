import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { run as armObserver } from '../../lambdas/arm-observer/core.js';
import { run as checkHealth } from '../../lambdas/check-health/core.js';
import { run as onScalingEvent, parseScalingEvent } from '../../lambdas/on-scaling-event/core.js';
import { SCALING_EVENT_PATTERN } from '../../lambdas/on-scaling-event/pattern.js';
import { run as provision } from '../../lambdas/provision/core.js';
import { run as startStress } from '../../lambdas/start-stress/core.js';
import { run as tearDown } from '../../lambdas/tear-down/core.js';
import { run as validate } from '../../lambdas/validate/core.js';
import { run as verdict } from '../../lambdas/verdict/core.js';
import { SEED_NOTE, run as verifyLoadBalancing } from '../../lambdas/verify-load-balancing/core.js';
import { matchesPattern } from '../../local/eventbridge/index.js';
import { FakeCloud, fakeLoadBalancers } from './fake-cloud.js';

const config = parseLabConfig({});
const step = { executionId: 'arn:exec:1', executionName: 'run-1', config };

function launchEvent(instanceId: string, detailType = 'EC2 Instance Launch Successful') {
  return {
    version: '0',
    id: 'e-1',
    'detail-type': detailType,
    source: 'aws.autoscaling',
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      AutoScalingGroupName: 'scalelab-serve',
      EC2InstanceId: instanceId,
      Cause: 'an alarm',
      StatusCode: 'InProgress',
    },
  };
}

describe('handler cores', () => {
  it('validate merges the input over the deployed config and derives budgets', async () => {
    const deployedConfig = parseLabConfig({ section2: { maxSize: 4 } });

    const out = await validate(
      { executionId: 'x', executionName: 'y', input: { config: { stress: { seconds: 500 } } } },
      { cloud: new FakeCloud(), deployedConfig },
    );

    expect(out.config.stress.seconds).toBe(500);
    expect(out.config.section2.maxSize).toBe(4);
    expect(out.budgets.scaleOut.upperSeconds).toBe(385);
  });

  it("validate takes the console dialog's pre-filled Comment as a comment, and refuses other input fields", async () => {
    const event = (input: Record<string, unknown>) => ({ executionId: 'x', executionName: 'y', input });
    const deps = { cloud: new FakeCloud(), deployedConfig: config };

    const out = await validate(event({ Comment: 'Insert your JSON here' }), deps);

    expect(out.config).toEqual(config);
    await expect(validate(event({ confg: {} }), deps)).rejects.toThrow(
      'the execution input may only hold "config" (and a "Comment" string), got "confg"',
    );
    await expect(validate(event({ Comment: 'c', comment: 'c' }), deps)).rejects.toThrow('got "comment"');
    await expect(validate(event({ Comment: { text: 'c' } }), deps)).rejects.toThrow(
      'the execution input\'s Comment must be a string, got {"text":"c"}',
    );
  });

  it('validate refuses an override of a field fixed at deploy, naming it and how to change it', async () => {
    const deployedConfig = parseLabConfig({ section2: { maxSize: 3 } });
    const event = (overrides: unknown) => ({
      executionId: 'x',
      executionName: 'y',
      input: { config: overrides },
    });

    const cloud = new FakeCloud();
    const refused = validate(event({ section2: { maxSize: 4 } }), { cloud, deployedConfig });

    await expect(refused).rejects.toMatchObject({
      name: 'InvalidLabConfig',
      message: expect.stringMatching(
        /^section2\.maxSize is fixed at deploy \(the lab was deployed with 3, the input asks for 4\)/,
      ),
    });
    await expect(refused).rejects.toThrow(`-c 'scalelab:config={"section2":{"maxSize":4}}'`);
    await expect(refused).rejects.toThrow('restart scalelab serve with --set section2.maxSize=4');
    // The whole deployed configuration back (what `scalelab run` sends) changes nothing.
    await expect(validate(event(deployedConfig), { cloud, deployedConfig })).resolves.toMatchObject({
      config: deployedConfig,
    });
  });

  it('provision starts section 1 and sizes the group from the config', async () => {
    const cloud = new FakeCloud();

    const out = await provision(step, { cloud });

    expect(out.group).toEqual({ minSize: 0, maxSize: 3, desiredCapacity: 1 });
    expect(cloud.calls).toEqual(['startSection1Instances', 'updateGroupSize 0/3/1']);
    expect(cloud.present()).toHaveLength(1);
  });

  it('check-health counts the attempt and needs every target healthy', async () => {
    const cloud = new FakeCloud();
    cloud.webBecomesHealthy = false;
    await provision(step, { cloud });

    const first = await checkHealth({ ...step, attempt: 0 }, { cloud });
    for (const target of cloud.targets.web) target.state = 'healthy';
    const second = await checkHealth({ ...step, attempt: first.attempt }, { cloud });

    expect(first).toMatchObject({ attempt: 1, healthy: false });
    expect(first.summary).toBe(
      'check 1: section 1 0/2 targets healthy, section 2 1/1 in service and healthy',
    );
    expect(second).toMatchObject({ attempt: 2, healthy: true });
  });

  it("check-health names a section-1 instance that could not start, with EC2's reason", async () => {
    const cloud = new FakeCloud();
    cloud.webBecomesHealthy = false;
    await provision(step, { cloud });
    const [failed] = cloud.section1;
    if (failed) {
      failed.state = 'terminated';
      failed.stateReason = 'Server.InternalError: app exited with code 1 before listening (EADDRINUSE)';
    }

    const out = await checkHealth({ ...step, attempt: 0 }, { cloud });

    expect(out.summary).toBe(
      `check 1: section 1 0/2 targets healthy (${failed?.instanceId} terminated: Server.InternalError: app exited with code 1 before listening (EADDRINUSE)), section 2 1/1 in service and healthy`,
    );
  });

  it('verify-load-balancing sees the round-robin spread and sets the seed on every instance', async () => {
    const lbs = fakeLoadBalancers();

    const out = await verifyLoadBalancing(step, {
      cloud: new FakeCloud(),
      fetch: lbs.fetch,
      deployedConfig: config,
    });

    expect(out.requestsPerInstance).toEqual({ 'i-web-1': 10, 'i-web-2': 10 });
    expect(out.seedCheck).toMatchObject({
      held: true,
      postsPerInstance: { 'i-web-1': 1, 'i-web-2': 1 },
      seedsBefore: { 'i-web-1': Array(10).fill('0'), 'i-web-2': Array(10).fill('0') },
      note: SEED_NOTE,
    });
    expect([...lbs.seeds.values()]).toEqual([100, 100]);
  });

  it('verify-load-balancing fails with a named error on a lopsided spread', async () => {
    const oneInstance = (async () =>
      new Response('0', { status: 200, headers: { 'x-instance-id': 'i-only' } })) as unknown as typeof fetch;

    await expect(
      verifyLoadBalancing(step, { cloud: new FakeCloud(), fetch: oneInstance, deployedConfig: config }),
    ).rejects.toMatchObject({
      name: 'LoadBalancingNotVerified',
      message: expect.stringContaining('{"i-only":20}'),
    });
  });

  it('start-stress POSTs one worker per vCPU of the instance type and reports its window', async () => {
    const cloud = new FakeCloud();
    const lbs = fakeLoadBalancers();
    const t2 = { ...step, config: parseLabConfig({ instanceType: 't2.micro' }) };

    const out = await startStress(step, { cloud, fetch: lbs.fetch, deployedConfig: config });
    await startStress(t2, { cloud, fetch: lbs.fetch, deployedConfig: t2.config });

    // Each worker at stress.cpuPercent of one core: 80 % of a t3.micro's 2 vCPUs, of a t2.micro's 1.
    expect(lbs.stressPosts).toEqual([
      { seconds: 600, workers: 2, load: 80 },
      { seconds: 600, workers: 1, load: 80 },
    ]);
    expect(out.endsAt - out.startedAt).toBe(600_000);
    expect(out.instanceId).toBe('i-scale-1');
  });

  it('arm-observer completes at once when the expectation already holds (an event before arming)', async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    cloud.launch(true);
    const since = cloud.now() - 200_000;

    const out = await armObserver(
      { ...step, token: 'tok', expectation: 'scale-out', since, coolDownUntil: since + 420_000 },
      { cloud },
    );

    expect(out.atArming).toBe('completed');
    expect(cloud.responses[0]).toMatchObject({
      kind: 'success',
      token: 'tok',
      output: { expectation: 'scale-out', trigger: 'arming', healthyInService: 2, held: true },
    });
    expect(cloud.observers.size).toBe(0);
  });

  it('arm-observer re-checks on a later round: held without any event, the trigger says re-check', async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    const since = cloud.now();
    const round = (token: string) =>
      armObserver({ ...step, token, expectation: 'scale-out', since, coolDownUntil: 0 }, { cloud });

    const first = await round('tok-1');
    cloud.launch(true); // the launch event is lost
    const second = await round('tok-2');

    expect([first, second].map((out) => [out.atArming, out.rearmed])).toEqual([
      ['pending', false],
      ['completed', true],
    ]);
    expect(cloud.responses).toEqual([
      expect.objectContaining({
        kind: 'success',
        token: 'tok-2',
        output: expect.objectContaining({ trigger: 're-check' }),
      }),
    ]);
  });

  it('arm-observer completes with held false once the observation deadline has passed', async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    // 1.5 × the default scale-out upper bound (385 s) = 578 s ago.
    const since = cloud.now() - 578_000;

    const out = await armObserver(
      { ...step, token: 'tok', expectation: 'scale-out', since, coolDownUntil: 0 },
      { cloud },
    );

    expect(out.atArming).toBe('deadline');
    expect(cloud.responses[0]).toMatchObject({
      kind: 'success',
      output: { held: false, trigger: 'deadline', inService: 1, elapsedSeconds: expect.any(Number) },
    });
    expect(cloud.observers.size).toBe(0);
  });

  it("a late handler holding an old round's token does not disarm the round armed after it", async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    const since = cloud.now();
    await armObserver(
      { ...step, token: 'old', expectation: 'scale-out', since, coolDownUntil: 0 },
      { cloud },
    );
    const [oldRound] = await cloud.getArmedObservers();
    await armObserver(
      { ...step, token: 'new', expectation: 'scale-out', since, coolDownUntil: 0 },
      { cloud },
    );

    await cloud.disarm(oldRound ?? { observerId: '', token: '' });

    expect([...cloud.observers.values()].map((o) => o.token)).toEqual(['new']);
  });

  it('on-scaling-event heartbeats on progress, succeeds once when held, and tolerates duplicates', async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    await armObserver(
      { ...step, token: 'tok', expectation: 'scale-out', since: cloud.now(), coolDownUntil: 0 },
      { cloud },
    );
    const event = parseScalingEvent(launchEvent('i-other', 'EC2 Instance Terminate Unsuccessful'));

    const progress = await onScalingEvent(event, { cloud });
    const id = cloud.launch(true);
    const held = await onScalingEvent(parseScalingEvent(launchEvent(id)), { cloud });
    const duplicate = await onScalingEvent(parseScalingEvent(launchEvent(id)), { cloud });

    expect(Object.values(progress.actions)).toEqual(['heartbeat']);
    expect(Object.values(held.actions)).toEqual(['completed']);
    expect(duplicate.actions).toEqual({});
    expect(cloud.responses.map((r) => r.kind)).toEqual(['heartbeat', 'success']);
  });

  it('on-scaling-event polls target health after a launch until the instance is healthy', async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    await armObserver(
      { ...step, token: 'tok', expectation: 'scale-out', since: cloud.now(), coolDownUntil: 0 },
      { cloud },
    );
    const id = cloud.launch(false);
    setTimeout(() => {
      const target = cloud.targets.scaling.find((t) => t.targetId === id);
      if (target) target.state = 'healthy';
    }, 30);

    const out = await onScalingEvent(parseScalingEvent(launchEvent(id)), { cloud });

    expect(Object.values(out.actions)).toEqual(['completed']);
    expect(cloud.responses.at(-1)).toMatchObject({ kind: 'success', output: { trigger: 'health-poll' } });
  });

  it('on-scaling-event completes the round armed now when its health poll outlives the round it began in', async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    const since = cloud.now();
    await armObserver(
      { ...step, token: 'old', expectation: 'scale-out', since, coolDownUntil: 0 },
      { cloud },
    );
    const id = cloud.launch(false);
    // The step's next round arms a new token while the handler polls, then the instance turns healthy.
    setTimeout(() => {
      void armObserver(
        { ...step, token: 'new', expectation: 'scale-out', since, coolDownUntil: 0 },
        { cloud },
      );
    }, 10);
    setTimeout(() => {
      const target = cloud.targets.scaling.find((t) => t.targetId === id);
      if (target) target.state = 'healthy';
    }, 40);

    const out = await onScalingEvent(parseScalingEvent(launchEvent(id)), { cloud });

    expect(Object.values(out.actions)).toEqual(['completed']);
    expect(cloud.responses.at(-1)).toMatchObject({
      kind: 'success',
      token: 'new',
      output: { trigger: 'health-poll' },
    });
    expect(cloud.observers.size).toBe(0);
  });

  it("the rule pattern matches the group's launch and terminate events only", () => {
    expect(matchesPattern(SCALING_EVENT_PATTERN, launchEvent('i-1'))).toBe(true);
    expect(
      matchesPattern(SCALING_EVENT_PATTERN, launchEvent('i-1', 'EC2 Instance Terminate Successful')),
    ).toBe(true);
    const other = launchEvent('i-1');
    other.detail.AutoScalingGroupName = 'someone-else';
    expect(matchesPattern(SCALING_EVENT_PATTERN, other)).toBe(false);
  });

  it('tear-down stops everything, disarms, and waits until nothing is left', async () => {
    const cloud = new FakeCloud();
    await provision(step, { cloud });
    cloud.observers.set('arn:exec:1#scale-in', {
      observerId: 'arn:exec:1#scale-in',
      executionId: 'arn:exec:1',
      expectation: 'scale-in',
      token: 't',
      armedAt: 0,
      since: 0,
      target: 1,
      coolDownUntil: 0,
      healthPollSeconds: 0,
    });

    const out = await tearDown(
      { executionId: 'arn:exec:1', executionName: '1', config },
      { cloud, deployedConfig: config },
    );

    expect(out).toMatchObject({ clean: true, leftBehind: [] });
    expect(cloud.calls).toContain('updateGroupSize 0/3/0');
    expect(cloud.observers.size).toBe(0);
  });

  it('tear-down after a refused configuration sizes the group as deployed', async () => {
    const cloud = new FakeCloud();

    await tearDown(
      { executionId: 'e', executionName: 'e', config: undefined },
      { cloud, deployedConfig: parseLabConfig({ section2: { maxSize: 4 } }) },
    );

    expect(cloud.calls).toContain('updateGroupSize 0/4/0');
  });

  it('tear-down fails with TearDownIncomplete naming what is still running', async () => {
    const cloud = new FakeCloud();
    cloud.stopSection1Instances = async () => undefined;
    await cloud.startSection1Instances();

    await expect(
      tearDown(
        {
          executionId: 'e',
          executionName: 'e',
          config: parseLabConfig({ timeouts: { tearDownSeconds: 20 } }),
        },
        { cloud, deployedConfig: config },
      ),
    ).rejects.toMatchObject({
      name: 'TearDownIncomplete',
      message: expect.stringContaining('i-web-1 (running)'),
    });
  });

  it('verdict is PASS only when every expectation held, FAIL with what was missing otherwise', async () => {
    const cloud = new FakeCloud();
    const state = {
      lab: { config },
      health: { attempt: 2, healthy: true, summary: 'ok' },
      loadBalancing: {
        spreadHeld: true,
        requestsPerInstance: { a: 10, b: 10 },
        seedCheck: { held: true, postsPerInstance: {} },
      },
      scaleOut: { elapsedSeconds: 240, inService: 2, healthyInService: 2 },
      scaleIn: { elapsedSeconds: 900, inService: 1, healthyInService: 1 },
      tearDown: { clean: true, seconds: 30 },
    };

    const deps = { cloud, deployedConfig: config };

    const pass = await verdict({ executionId: 'e', executionName: 'n', config, state }, deps);
    const early = await verdict(
      { executionId: 'e', executionName: 'n', config, state: { ...state, scaleOut: { elapsedSeconds: 60 } } },
      deps,
    );
    const failed = await verdict(
      {
        executionId: 'e',
        executionName: 'n',
        config,
        state: { lab: { config }, error: { Error: 'Boom', Cause: 'c' } },
      },
      deps,
    );

    expect(pass.verdict).toBe('PASS');
    expect(pass.expectations).toHaveLength(6);
    expect(early.verdict).toBe('FAIL');
    expect(early.reason).toContain('scale-out');
    expect(failed).toMatchObject({ verdict: 'FAIL', error: { Error: 'Boom', Cause: 'c' } });
    expect(failed.reason).toContain('the lab stopped on Boom');
    expect(cloud.events.filter((e) => e.detailType === 'Lab Verdict')).toHaveLength(3);
  });
});
