import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { run as verdict } from '../../lambdas/verdict/core.js';
import { createVerdictHandler } from '../../lambdas/verdict/handler.js';
import { FakeCloud } from './fake-cloud.js';

const config = parseLabConfig({});

import type { InstanceMoment } from '../../lambdas/cloud/cloud.js';
import { at, recordLab, STRESS_START } from './instance-moments.js';

const deps = (cloud: FakeCloud) => ({ cloud, deployedConfig: config });

describe("the verdict's instance timelines", () => {
  it('show each instance as seconds after the stress start, in launch order, with its two durations', async () => {
    // Prepare
    const cloud = new FakeCloud();
    await recordLab(cloud);
    const state = { lab: config, stress: { startedAt: STRESS_START } };

    // Act
    const out = await verdict({ executionId: 'e', executionName: 'n', config, state }, deps(cloud));

    // Assess
    expect(out.timelines.from).toBe('stress start');
    expect(out.timelines.fromTime).toBe('2026-01-01T00:10:00.000Z');
    expect(out.timelines.instances.map((row) => row.instanceId)).toEqual(['i-first', 'i-second', 'i-broken']);
    expect(out.timelines.instances[0]).toEqual({
      instanceId: 'i-first',
      seconds: {
        launched: -130,
        'launch-wait': -130,
        'in-service': -70,
        healthy: -65,
        terminating: 1500,
        'terminate-wait': 1531,
        drained: 1531,
        'terminate-completed': 1532,
        terminated: 1535,
      },
      launchToInServiceSeconds: 60,
      launchToHealthySeconds: 65,
      terminatingToTerminatedSeconds: 35,
    });
    expect(out.timelines.instances[1]?.seconds['in-service']).toBe(210);
    expect(out.timelines.instances[2]).toEqual({
      instanceId: 'i-broken',
      seconds: { launched: 400, 'launch-wait': 400, 'launch-failed': 700 },
      launchFailed: true,
      launchFailure:
        'its launch action was abandoned (lifecycle hook scalelab-wait-for-app): its app did not answer, or nothing completed the action within 300 s',
    });
    expect(out.timelines.note).toBeUndefined();
    // The "Lab Verdict" event carries the timeline too.
    expect(cloud.events.at(-1)?.detail).toMatchObject({ timelines: out.timelines });
  });

  it("leave out an earlier execution's instances: every moment before this one's Provision began", async () => {
    // Prepare: an instance of an earlier execution, its life over before this one provisioned.
    const cloud = new FakeCloud();
    await cloud.recordInstanceMoment('i-earlier', 'launched', at(-2000));
    await cloud.recordInstanceMoment('i-earlier', 'terminated', at(-900));
    await recordLab(cloud);
    const state = { lab: config, provision: { startedAt: at(-200) }, stress: { startedAt: STRESS_START } };

    // Act
    const out = await verdict({ executionId: 'e', executionName: 'n', config, state }, deps(cloud));

    // Assess
    expect(out.timelines.instances.map((row) => row.instanceId)).toEqual(['i-first', 'i-second', 'i-broken']);
  });

  it('count from the first moment when no stress started, and say when moments are missing', async () => {
    const cloud = new FakeCloud();
    await cloud.recordInstanceMoment('i-late', 'in-service', at(20));
    await cloud.recordInstanceMoment('i-early', 'launched', at(5));

    const out = await verdict({ executionId: 'e', executionName: 'n', config, state: {} }, deps(cloud));

    expect(out.timelines).toMatchObject({ from: 'first moment', fromTime: new Date(at(5)).toISOString() });
    expect(out.timelines.instances.map((r) => [r.instanceId, r.seconds])).toEqual([
      ['i-early', { launched: 0 }],
      ['i-late', { 'in-service': 15 }],
    ]);
    expect(out.timelines.note).toMatch(/lost or late/);
  });

  it('say so when no moment was recorded at all (every Auto Scaling event lost)', async () => {
    const handler = createVerdictHandler({
      cloud: new FakeCloud(),
      log: () => undefined,
      deployedConfig: config,
    });

    const out = await handler(
      { executionId: 'e', executionName: 'n', state: { lab: config, stress: { startedAt: STRESS_START } } },
      {} as never,
    );

    expect(out.timelines).toEqual({
      from: 'stress start',
      fromTime: '2026-01-01T00:10:00.000Z',
      instances: [],
      note: expect.stringMatching(/^no instance moments were recorded/),
    });
  });

  it('say in a FAIL verdict why a launch failed', async () => {
    const cloud = new FakeCloud();
    await recordLab(cloud);
    const state = {
      lab: config,
      stress: { startedAt: STRESS_START },
      error: { Error: 'ScalingNotObserved' },
    };

    const out = await verdict({ executionId: 'e', executionName: 'n', config, state }, deps(cloud));

    expect(out.verdict).toBe('FAIL');
    expect(out.reason).toContain(
      '1 launch failed (i-broken): its launch action was abandoned (lifecycle hook scalelab-wait-for-app)',
    );
  });

  it("say when a terminate action was never completed and the hook's timeout ended the wait", async () => {
    const cloud = new FakeCloud();
    const moments: [InstanceMoment, number][] = [
      ['launched', 150],
      ['in-service', 210],
      ['terminating', 900],
      ['terminate-wait', 930],
      ['terminated', 991],
    ];
    for (const [moment, s] of moments) await cloud.recordInstanceMoment('i-lost', moment, at(s));
    const state = { lab: config, stress: { startedAt: STRESS_START } };

    const out = await verdict({ executionId: 'e', executionName: 'n', config, state }, deps(cloud));

    expect(out.timelines.instances[0]?.terminateTimedOut).toBe(
      "its terminate action was never completed: after 60 s the hook's default result (CONTINUE) ended the wait",
    );
  });
});
