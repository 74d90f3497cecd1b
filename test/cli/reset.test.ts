import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { EC2Client, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerLab, type ServeContext } from '../../cli/executions/serve.js';
import type { LabInventory } from '../../cli/inspect/lab-inventory.js';
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';
import { API_REGION } from '../../local/api/index.js';
import type { LabResetReport } from '../../local-lab/lab-reset.js';
import { waitFor } from '../helpers/wait-for.js';
import { labAtRest, type ServeFixture, scalelab, serveForTest } from './executions/helpers.js';

const GROUP = DEFAULT_LAB_CONFIG.section2.autoScalingGroupName;
const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
/** As serve-lab.test.ts: slow enough that an execution is still running when the test acts on it. */
const TIME_SCALE = 20;

/** What `inspect` shows of a lab at rest: the group at zero, section 1 stopped, no targets, fresh alarms. */
function expectClean(inventory: LabInventory): void {
  expect(inventory.group).toEqual({
    name: GROUP,
    desired: 0,
    min: 0,
    max: DEFAULT_LAB_CONFIG.section2.maxSize,
  });
  expect(inventory.instances.map(({ section, state }) => `${section} ${state}`)).toEqual([
    '1 stopped',
    '1 stopped',
  ]);
  expect(inventory.targetGroups.map(({ targets }) => targets)).toEqual([[], []]);
  expect(inventory.alarms.map(({ state }) => state)).toEqual(['INSUFFICIENT_DATA', 'INSUFFICIENT_DATA']);
}

/** `scalelab reset` against `scalelab serve`'s endpoint, and `inspect` after it. */
describe('scalelab reset', () => {
  let s: ServeFixture;
  let context: ServeContext;
  let dir: string;
  /** What a test started beside the serve (timers, listeners), ended before it. */
  const cleanups: (() => void)[] = [];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scalelab-reset-'));
    s = await serveForTest(async (served) => {
      context = served;
      return registerLab(dir, join(dir, 'runs'))(served);
    }, TIME_SCALE);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function inspect(): Promise<LabInventory> {
    const result = await scalelab(s.serve.url, ['inspect', '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as LabInventory;
  }

  function inService(): number {
    const [group] = context.cloud.autoscaling.describeAutoScalingGroups([GROUP]);
    return group?.Instances?.filter((i) => i.LifecycleState === 'InService').length ?? 0;
  }

  it('puts back a lab left dirty through the AWS APIs and in the cloud directly', async () => {
    // Prepare: section 1 started and the group sized up with the AWS SDK, as a person would with
    // the AWS CLI; a stray instance started in the cloud itself; the high alarm in ALARM.
    const ec2 = new EC2Client({ endpoint: s.serve.url, region: API_REGION, credentials });
    const autoScaling = new AutoScalingClient({ endpoint: s.serve.url, region: API_REGION, credentials });
    try {
      const section1 = (await inspect()).instances.map(({ instanceId }) => instanceId);
      await ec2.send(new StartInstancesCommand({ InstanceIds: section1 }));
      await autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, DesiredCapacity: 2 }),
      );
    } finally {
      ec2.destroy();
      autoScaling.destroy();
    }
    const [stray] = await context.cloud.ec2.runInstances({ app: 'seed', instanceType: 't3.micro' });
    const [high] = context.cloud.autoscaling.alarmsOf(GROUP);
    // A stressed group's CPU, fed until the reset sets about its first instance.
    const feed = (): void =>
      context.cloud.metrics.putMetricData(
        'AWS/EC2',
        'CPUUtilization',
        { AutoScalingGroupName: GROUP },
        95,
        context.cloud.clock.now(),
      );
    const feeder = context.cloud.clock.setInterval(feed, 5);
    cleanups.push(() => feeder.cancel());
    cleanups.push(
      context.cloud.ec2.onStateChange(({ current }) => {
        if (current === 'stopping' || current === 'shutting-down') feeder.cancel();
      }),
    );
    await waitFor(() => inService() === 2 && high?.state === 'ALARM', {
      timeoutMs: 30_000,
      what: 'two instances in service and the high alarm in ALARM',
    });
    const dirty = await inspect();
    expect(dirty.instances.filter(({ state }) => state === 'running')).toHaveLength(4);

    // Act
    const result = await scalelab(s.serve.url, ['reset', '--json']);

    // Assess: what it says it did, what `inspect` sees, and what is left running.
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as LabResetReport;
    const members = dirty.instances
      .filter(({ section }) => section === '2')
      .map(({ instanceId }) => instanceId);
    expect(report.terminated.sort()).toEqual([stray?.instanceId, ...members].sort());
    expect(report.stopped.sort()).toEqual(
      dirty.instances
        .filter(({ section }) => section === '1')
        .map(({ instanceId }) => instanceId)
        .sort(),
    );
    expect(report.alarms.find(({ name }) => name === high?.props.alarmName)?.previousState).toBe('ALARM');
    expectClean(await inspect());
    const activities = context.cloud.autoscaling.describeScalingActivities(GROUP);
    expect(
      activities.filter((a) => !['Successful', 'Failed', 'Cancelled'].includes(a.StatusCode ?? '')),
    ).toEqual([]);
    await labAtRest(context);
  }, 90_000);

  it('refuses while an execution runs, changing nothing, and resets what its lost tear-down left', async () => {
    // Prepare: an execution that has provisioned the lab, whose stop will not tear it down (its
    // status-change event lost, which EventBridge allows).
    const [stateMachineArn = ''] = s.serve.stateMachineArns;
    context.stepFunctions.startExecution({ stateMachineArn, name: 'dirty', input: '{}' });
    await waitFor(() => inService() === 1, { timeoutMs: 30_000, what: 'the execution to provision' });
    const before = await inspect();

    // Act: reset while it runs.
    const refused = await scalelab(s.serve.url, ['reset']);

    // Assess: refused, naming it, and the lab as it was.
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'scalelab reset: LabBusy: execution dirty (RUNNING) is acting on the lab: stop it (scalelab stop dirty) or wait for the end, then reset; nothing was reset\n',
    );
    const after = await inspect();
    expect(after.group).toEqual(before.group);
    expect(after.instances.map(({ instanceId, state }) => [instanceId, state])).toEqual(
      before.instances.map(({ instanceId, state }) => [instanceId, state]),
    );

    // Act: stop it without its tear-down, then reset.
    context.cloud.bus.removeTargets('lab-execution-ends', ['on-execution-end']);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:dirty`;
    context.stepFunctions.stopExecution({ executionArn });
    await waitFor(() => context.stepFunctions.describeExecution({ executionArn }).status === 'ABORTED', {
      what: 'the execution to be ABORTED',
    });
    expect((await inspect()).group?.desired).toBe(1);
    const reset = await scalelab(s.serve.url, ['reset']);

    // Assess: what it reset, said for people, and the clean lab.
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(
      /^the lab at http:\/\/127\.0\.0\.1:\d+ is back to its clean state \([\d.]+ s simulated\)\n/,
    );
    expect(reset.stdout).toContain(
      `  group ${GROUP}: desired 0 (min 0, max ${DEFAULT_LAB_CONFIG.section2.maxSize})`,
    );
    expect(reset.stdout).toMatch(/ {2}stopped: i-\w+, i-\w+\n/);
    expect(reset.stdout).toMatch(/ {2}forgotten: the lab's claim by dirty/);
    expectClean(await inspect());
    await labAtRest(context);
  }, 120_000);

  it('names what was wrong with bad input', async () => {
    const extra = await scalelab(s.serve.url, ['reset', 'now']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/^scalelab reset: .*'now'/);

    const aws = await scalelab(s.serve.url, ['reset', '--aws']);
    expect(aws.code).toBe(2);
    expect(aws.stderr).toMatch(/^scalelab reset: reset works on the local cloud only/);

    const endpoint = await scalelab(s.serve.url, ['reset', '--endpoint', 'localhost']);
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toMatch(/^scalelab reset: --endpoint must be .*, got 'localhost'\n$/);

    const nowhere = await scalelab('http://127.0.0.1:9', ['reset']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toBe(
      'scalelab reset: cannot reach http://127.0.0.1:9 (is `scalelab serve` running?)\n',
    );

    const member = await fetch(`${s.serve.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'ScalelabLocal.ResetLab' },
      body: '{"Force": true}',
    });
    expect(member.status).toBe(400);
    expect(await member.json()).toEqual({
      __type: 'ValidationException',
      message: "ResetLab takes no members, got 'Force'",
    });
  });
});

describe('scalelab reset against a serve with no lab', () => {
  let s: ServeFixture;
  beforeEach(async () => {
    s = await serveForTest();
  });
  afterEach(async () => {
    await s.close();
  });

  it('says there is no lab to reset', async () => {
    const result = await scalelab(s.serve.url, ['reset']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "scalelab reset: UnknownOperationException: Unknown operation 'ScalelabLocal.ResetLab': not among scalelab's own operations this endpoint serves (ListExecutionRealDates); ResetLab needs a lab ('scalelab serve' without --demo, or 'scalelab up')\n",
    );
  });
});
