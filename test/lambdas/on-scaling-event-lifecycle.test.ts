import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { LAUNCH_HOOK, TERMINATE_HOOK } from '../../lab/lifecycle-hooks.js';
import { run as armObserver } from '../../lambdas/arm-observer/core.js';
import { NOTIFY_EVENT_PATTERN } from '../../lambdas/notify/event/pattern.js';
import { run as onScalingEvent, parseScalingEvent } from '../../lambdas/on-scaling-event/core.js';
import { createOnScalingEventHandler } from '../../lambdas/on-scaling-event/handler.js';
import { DRAIN_WAIT_SECONDS, HEALTHY_WAIT_SECONDS } from '../../lambdas/on-scaling-event/lifecycle.js';
import { SCALING_EVENT_PATTERN } from '../../lambdas/on-scaling-event/pattern.js';
import { provisionStep } from '../../lambdas/provision/core.js';
import { matchesPattern } from '../../local/eventbridge/index.js';
import { FakeCloud } from './fake-cloud.js';
import { awsExampleEvent, lifecycleEvent } from './lifecycle-events.js';

const config = parseLabConfig({});
const step = { executionId: 'arn:exec:1', executionName: 'run-1', config };
const EVENT_TIME = '2026-01-01T00:00:00Z';

/** A group of one in-service instance; returns it. */
async function oneInstance(cloud: FakeCloud): Promise<string> {
  await provisionStep.run(step, { cloud, fetch, deployedConfig: config });
  const id = cloud.present()[0]?.instanceId;
  if (!id) throw new Error('no instance');
  return id;
}

/** The terminate event of `instanceId`'s wait, and the fake holding it in that wait. */
function terminating(cloud: FakeCloud, instanceId: string) {
  const token = cloud.holdInLifecycleAction(instanceId, TERMINATE_HOOK.name);
  return {
    token,
    event: lifecycleEvent('terminate', { EC2InstanceId: instanceId, LifecycleActionToken: token }),
  };
}

describe('on-scaling-event and the lifecycle hooks', () => {
  it("reads a lifecycle-action event's wait from AWS's documented detail", () => {
    const input = parseScalingEvent(lifecycleEvent('launch', {}, EVENT_TIME));

    expect(input.lifecycleAction).toEqual({
      kind: 'launch',
      hookName: LAUNCH_HOOK.name,
      token: '87654321-4321-4321-4321-210987654321',
      instanceId: 'i-1234567890abcdef0',
    });
    expect(input.event).toMatchObject({
      detailType: 'EC2 Instance-launch Lifecycle Action',
      time: EVENT_TIME,
    });
    expect(parseScalingEvent(lifecycleEvent('terminate')).lifecycleAction?.kind).toBe('terminate');
  });

  it('refuses a lifecycle-action event without its token, or whose transition contradicts it, naming the field', () => {
    const noToken = lifecycleEvent('terminate');
    delete noToken.detail.LifecycleActionToken;
    expect(() => parseScalingEvent(noToken)).toThrow(
      expect.objectContaining({
        name: 'InvalidHandlerInput',
        message: 'LifecycleActionToken must be a non-empty string, got undefined',
      }),
    );
    const crossed = lifecycleEvent('launch', { LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING' });
    expect(() => parseScalingEvent(crossed)).toThrow(
      'LifecycleTransition must be autoscaling:EC2_INSTANCE_LAUNCHING in a "EC2 Instance-launch Lifecycle Action" event, got "autoscaling:EC2_INSTANCE_TERMINATING"',
    );
  });

  it('records a launching instance waiting and leaves its action to the instance', async () => {
    const cloud = new FakeCloud();
    const token = cloud.holdInLifecycleAction('i-new', LAUNCH_HOOK.name);
    const event = lifecycleEvent(
      'launch',
      { EC2InstanceId: 'i-new', LifecycleActionToken: token },
      EVENT_TIME,
    );

    const out = await onScalingEvent(parseScalingEvent(event), { cloud });

    expect(out.instance).toBe('recorded');
    expect(cloud.lifecycleActions[0]?.result).toBeUndefined();
    expect(cloud.calls.filter((c) => c.startsWith('completeLifecycleAction'))).toEqual([]);
    expect(await cloud.getInstanceTimelines()).toEqual([
      { instanceId: 'i-new', moments: { 'launch-wait': Date.parse(EVENT_TIME) } },
    ]);
  });

  it('completes a drained terminating instance with CONTINUE, by its token, recording each moment', async () => {
    const cloud = new FakeCloud();
    const id = await oneInstance(cloud);
    cloud.terminate();
    const { token, event } = terminating(cloud, id);
    event.time = EVENT_TIME;
    const before = cloud.now();

    const out = await onScalingEvent(parseScalingEvent(event), { cloud });

    expect(out.instance).toBe('completed');
    expect(cloud.lifecycleActions).toEqual([
      expect.objectContaining({ instanceId: id, token, hookName: TERMINATE_HOOK.name, result: 'CONTINUE' }),
    ]);
    const [timeline] = await cloud.getInstanceTimelines();
    expect(timeline?.moments['terminate-wait']).toBe(Date.parse(EVENT_TIME));
    expect(timeline?.moments.drained).toBeGreaterThanOrEqual(before);
    expect(timeline?.moments['terminate-completed']).toBeGreaterThanOrEqual(timeline?.moments.drained ?? 0);
  });

  it('waits while the instance drains and completes only once it has left the target group', async () => {
    const cloud = new FakeCloud();
    const id = await oneInstance(cloud);
    // Read before the drain starts: at 1000× a real millisecond between the two is a simulated second.
    const before = cloud.now();
    cloud.drain(id, 10);
    const { event } = terminating(cloud, id);

    const out = await onScalingEvent(parseScalingEvent(event), { cloud });

    expect(out.instance).toBe('completed');
    const [timeline] = await cloud.getInstanceTimelines();
    expect(timeline?.moments.drained).toBeGreaterThanOrEqual(before + 10_000);
    expect(cloud.lifecycleActions[0]?.result).toBe('CONTINUE');
  });

  it('takes a duplicate terminate event as already done: no error, and the first moments stay', async () => {
    const cloud = new FakeCloud();
    const id = await oneInstance(cloud);
    cloud.terminate();
    const { event } = terminating(cloud, id);
    await onScalingEvent(parseScalingEvent(event), { cloud });
    const first = await cloud.getInstanceTimelines();
    await cloud.sleep(5);

    const again = await onScalingEvent(parseScalingEvent(structuredClone(event)), { cloud });

    expect(again.instance).toBe('not-waiting');
    expect(await cloud.getInstanceTimelines()).toEqual(first);
    expect(cloud.lifecycleActions.filter((a) => a.result)).toHaveLength(1);
  });

  it("leaves an instance that never drains to the hook's default result after a bounded wait", async () => {
    const cloud = new FakeCloud();
    const id = await oneInstance(cloud);
    cloud.drain(id, DRAIN_WAIT_SECONDS * 10);
    const { event } = terminating(cloud, id);
    const before = cloud.now();

    const out = await onScalingEvent(parseScalingEvent(event), { cloud });

    expect(out.instance).toBe('not-drained');
    expect(cloud.now() - before).toBeGreaterThanOrEqual(DRAIN_WAIT_SECONDS * 1000);
    expect(cloud.now() - before).toBeLessThan(TERMINATE_HOOK.heartbeatTimeoutSeconds * 1000);
    expect(cloud.lifecycleActions[0]?.result).toBeUndefined();
    const [timeline] = await cloud.getInstanceTimelines();
    expect(timeline?.moments.drained).toBeUndefined();
  });

  it("leaves another hook's action alone, and another group's event too", async () => {
    const cloud = new FakeCloud();
    cloud.holdInLifecycleAction('i-1234567890abcdef0', 'my-lifecycle-hook');
    const theirs = lifecycleEvent('terminate', { LifecycleHookName: 'my-lifecycle-hook' });

    expect((await onScalingEvent(parseScalingEvent(theirs), { cloud })).instance).toBe('not-ours');
    const other = awsExampleEvent('terminate');
    expect((await onScalingEvent(parseScalingEvent(other), { cloud })).instance).toBe('ignored');
    expect(cloud.lifecycleActions[0]?.result).toBeUndefined();
    expect(await cloud.getInstanceTimelines()).toEqual([]);
  });

  it('records in-service and terminated from the launch and terminate events', async () => {
    const cloud = new FakeCloud();
    const base = lifecycleEvent('launch', { EC2InstanceId: 'i-9' }, EVENT_TIME);
    const launched = { ...base, 'detail-type': 'EC2 Instance Launch Successful' };
    const gone = {
      ...base,
      time: '2026-01-01T00:10:00Z',
      'detail-type': 'EC2 Instance Terminate Successful',
    };

    await onScalingEvent(parseScalingEvent(launched), { cloud });
    await onScalingEvent(parseScalingEvent(gone), { cloud });

    expect(await cloud.getInstanceTimelines()).toEqual([
      {
        instanceId: 'i-9',
        moments: { 'in-service': Date.parse(EVENT_TIME), terminated: Date.parse('2026-01-01T00:10:00Z') },
      },
    ]);
  });

  it("records a launch and a termination at their activity's StartTime and EndTime, and when the instance turned healthy", async () => {
    // Prepare: an instance in service, not yet healthy; it turns healthy 10 s from now.
    const cloud = new FakeCloud();
    const id = cloud.launch(false);
    const target = cloud.targets.scaling.find((t) => t.targetId === id);
    if (!target) throw new Error('no target');
    const start = cloud.now();
    cloud.clock.setTimeout(() => {
      target.state = 'healthy';
    }, 10);
    const activity = {
      EC2InstanceId: id,
      StartTime: '2025-12-31T23:59:00.000Z',
      EndTime: '2025-12-31T23:59:59.750Z',
    };
    const base = lifecycleEvent('launch', activity, EVENT_TIME);
    const launched = { ...base, 'detail-type': 'EC2 Instance Launch Successful' };
    const gone = {
      ...lifecycleEvent('launch', {
        EC2InstanceId: id,
        StartTime: '2026-01-01T00:09:00.000Z',
        EndTime: '2026-01-01T00:09:59.500Z',
      }),
      time: '2026-01-01T00:10:00Z',
      'detail-type': 'EC2 Instance Terminate Successful',
    };

    // Act
    const out = await onScalingEvent(parseScalingEvent(launched), { cloud });
    await onScalingEvent(parseScalingEvent(gone), { cloud });

    // Assess
    expect(out.instance).toBe('recorded');
    const [timeline] = await cloud.getInstanceTimelines();
    expect(timeline?.moments).toMatchObject({
      // The activity's times, to the millisecond, not the event's `time`, to the second.
      launched: Date.parse('2025-12-31T23:59:00.000Z'),
      'in-service': Date.parse('2025-12-31T23:59:59.750Z'),
      terminating: Date.parse('2026-01-01T00:09:00.000Z'),
      terminated: Date.parse('2026-01-01T00:09:59.500Z'),
    });
    const healthy = timeline?.moments.healthy ?? 0;
    expect(healthy - start).toBeGreaterThanOrEqual(10_000);
    // Seen at a look after it turned healthy, well before the look gives up.
    expect(healthy - start).toBeLessThan(HEALTHY_WAIT_SECONDS * 1000);
  });

  it('records no healthy moment for an instance not healthy within HEALTHY_WAIT_SECONDS', async () => {
    const cloud = new FakeCloud();
    const id = cloud.launch(false);
    const start = cloud.now();
    const launched = {
      ...lifecycleEvent('launch', { EC2InstanceId: id }, EVENT_TIME),
      'detail-type': 'EC2 Instance Launch Successful',
    };

    await onScalingEvent(parseScalingEvent(launched), { cloud });

    expect(cloud.now() - start).toBeGreaterThanOrEqual(HEALTHY_WAIT_SECONDS * 1000);
    expect((await cloud.getInstanceTimelines())[0]?.moments).toEqual({
      'in-service': Date.parse(EVENT_TIME),
    });
  });

  it('still looks at the armed observers on a lifecycle event (a heartbeat while scale-out is pending)', async () => {
    const cloud = new FakeCloud();
    await oneInstance(cloud);
    await armObserver(
      { ...step, token: 'tok', expectation: 'scale-out', since: cloud.now(), coolDownUntil: 0 },
      { cloud },
    );
    const token = cloud.holdInLifecycleAction('i-new', LAUNCH_HOOK.name);
    const event = lifecycleEvent('launch', { EC2InstanceId: 'i-new', LifecycleActionToken: token });

    const out = await onScalingEvent(parseScalingEvent(event), { cloud });

    expect(out.actions).toEqual({ 'arn:exec:1#scale-out': 'heartbeat' });
  });

  it('runs through the Middy wrapper on a terminate event', async () => {
    const cloud = new FakeCloud();
    const id = await oneInstance(cloud);
    cloud.terminate();
    const { event } = terminating(cloud, id);
    const handler = createOnScalingEventHandler({ cloud, log: () => undefined, deployedConfig: config });

    const out = await handler(event, {} as never);

    expect(out).toEqual({ actions: {}, instance: 'completed' });
  });
});

describe('the on-scaling-event rule pattern', () => {
  it("matches the lab hooks' lifecycle events of the lab group, and its launch and terminate events", () => {
    expect(matchesPattern(SCALING_EVENT_PATTERN, lifecycleEvent('launch'))).toBe(true);
    expect(matchesPattern(SCALING_EVENT_PATTERN, lifecycleEvent('terminate'))).toBe(true);
    const launched = { ...lifecycleEvent('launch'), 'detail-type': 'EC2 Instance Launch Successful' };
    expect(matchesPattern(SCALING_EVENT_PATTERN, launched)).toBe(true);
  });

  it("matches no other group's lifecycle events and no other hook's", () => {
    expect(matchesPattern(SCALING_EVENT_PATTERN, awsExampleEvent('launch'))).toBe(false);
    expect(
      matchesPattern(SCALING_EVENT_PATTERN, lifecycleEvent('launch', { AutoScalingGroupName: 'other' })),
    ).toBe(false);
    expect(
      matchesPattern(
        SCALING_EVENT_PATTERN,
        lifecycleEvent('terminate', { LifecycleHookName: 'my-lifecycle-hook' }),
      ),
    ).toBe(false);
  });

  it('leaves lifecycle actions out of the Slack notifier: nothing to tell a person', () => {
    expect(matchesPattern(NOTIFY_EVENT_PATTERN, lifecycleEvent('launch'))).toBe(false);
    const launched = { ...lifecycleEvent('launch'), 'detail-type': 'EC2 Instance Launch Successful' };
    expect(matchesPattern(NOTIFY_EVENT_PATTERN, launched)).toBe(true);
  });
});
