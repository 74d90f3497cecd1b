import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { LAB_TORN_DOWN_EVENT_TYPE } from '../../lab/events.js';
import type { ExecutionStatus } from '../../lambdas/cloud/cloud.js';
import { HANDLERS } from '../../lambdas/index.js';
import { END_EVENT_MARGIN_SECONDS } from '../../lambdas/lab-guard/claim.js';
import { run as onExecutionEnd, parseExecutionEnd } from '../../lambdas/on-execution-end/core.js';
import { executionEndPattern } from '../../lambdas/on-execution-end/pattern.js';
import { run as tearDown } from '../../lambdas/tear-down/core.js';
import { run as validate } from '../../lambdas/validate/core.js';
import { matchesPattern } from '../../local/eventbridge/index.js';
import { FakeCloud } from './fake-cloud.js';

const deployedConfig = parseLabConfig({});
/** How long an ended holder's claim stands: its tear-down's bound and the end event's margin. */
const GRACE_MS = (deployedConfig.timeouts.tearDownSeconds + END_EVENT_MARGIN_SECONDS) * 1000;

/** Marks `name` as ended `status` long enough ago that its claim is stale. */
function endedLongAgo(cloud: FakeCloud, name: string, status: ExecutionStatus = 'ABORTED'): void {
  cloud.executionStatuses.set(arnOf(name), { status, stopDate: cloud.now() - GRACE_MS - 1_000 });
}
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:lab-lifecycle';
const arnOf = (name: string) => `arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:${name}`;
const validateInput = (name: string) => ({ executionId: arnOf(name), executionName: name, input: {} });

function statusChange(name: string, status: string) {
  return {
    version: '0',
    id: `e-${name}-${status}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '000000000000',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [arnOf(name)],
    detail: { executionArn: arnOf(name), stateMachineArn: MACHINE, name, status },
  };
}

/** What Provision does: section 1 running, one instance in the group. */
async function provisionLab(cloud: FakeCloud): Promise<void> {
  await cloud.startSection1Instances();
  await cloud.updateGroupSize({ minSize: 1, maxSize: 3, desiredCapacity: 1 });
}

describe('one lab, one execution at a time', () => {
  it('Validate refuses a second execution with LabBusy naming the running one, touching nothing', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('first'), { cloud, deployedConfig });
    await provisionLab(cloud);
    const callsBefore = [...cloud.calls];

    const second = validate(validateInput('second'), { cloud, deployedConfig });

    await expect(second).rejects.toMatchObject({
      name: 'LabBusy',
      message: expect.stringContaining(`the lab is in use by execution first (${arnOf('first')})`),
    });
    expect(cloud.calls).toEqual(callsBefore);
    expect((await cloud.labHolder())?.executionName).toBe('first');
  });

  it('Validate claims again for the same execution (a retried step) without refusing itself', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('first'), { cloud, deployedConfig });

    await expect(validate(validateInput('first'), { cloud, deployedConfig })).resolves.toBeDefined();
  });

  it('Validate takes over the claim of an execution that ended without releasing it', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('stopped'), { cloud, deployedConfig });
    endedLongAgo(cloud, 'stopped');

    await validate(validateInput('next'), { cloud, deployedConfig });

    expect((await cloud.labHolder())?.executionName).toBe('next');
  });

  it('keeps the claim of an execution that just ended: its tear-down may still be running', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('stopped'), { cloud, deployedConfig });
    cloud.executionStatuses.set(arnOf('stopped'), { status: 'ABORTED', stopDate: cloud.now() - 5_000 });

    await expect(validate(validateInput('next'), { cloud, deployedConfig })).rejects.toMatchObject({
      name: 'LabBusy',
      message: expect.stringMatching(
        /^the lab is still held by execution stopped \(.*\), which ended ABORTED at .*: its tear-down may still be running/,
      ),
    });
    // An execution about to be redriven still counts as using it.
    cloud.executionStatuses.set(arnOf('stopped'), { status: 'PENDING_REDRIVE' });
    await expect(validate(validateInput('next'), { cloud, deployedConfig })).rejects.toMatchObject({
      name: 'LabBusy',
    });
  });

  it('a step that acts on the lab holds it first: a redrive cannot share it with a running execution', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('running'), { cloud, deployedConfig });
    const provision = HANDLERS.ProvisionFunctionArn.create({ cloud, log: () => undefined, deployedConfig });
    const redriven = { executionId: arnOf('old'), executionName: 'old', lab: { config: deployedConfig } };

    await expect(provision(redriven, {} as never)).rejects.toMatchObject({ name: 'LabBusy' });
    expect(cloud.calls).toEqual([]);
    // Its own execution's steps go on.
    await provision({ ...redriven, executionId: arnOf('running'), executionName: 'running' }, {} as never);
    expect(cloud.calls).toContain('startSection1Instances');
  });

  it('Validate refuses a lab not at rest with LabNotAtRest, naming what runs and who left it', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('stopped'), { cloud, deployedConfig });
    await provisionLab(cloud);
    endedLongAgo(cloud, 'stopped');

    const next = validate(validateInput('next'), { cloud, deployedConfig });

    await expect(next).rejects.toMatchObject({
      name: 'LabNotAtRest',
      message: expect.stringMatching(
        /^the lab is not at rest \(left by execution stopped, which ended without its tear-down\): i-web-1 \(running\), .*i-scale-1 \(InService in scalelab-serve\)/,
      ),
    });
    // It holds the lab now, so its own tear-down (the Catch) cleans up what was left.
    const out = await tearDown(
      { executionId: arnOf('next'), executionName: 'next', config: undefined },
      { cloud, deployedConfig },
    );
    expect(out.stopped).toEqual(expect.arrayContaining(['i-web-1 (running)']));
    expect(await cloud.labHolder()).toBeUndefined();
  });

  it('Validate waits (LabSettling, retried by the workflow) while section-1 instances are still stopping', async () => {
    const cloud = new FakeCloud();
    for (const instance of cloud.section1) instance.state = 'stopping';

    await expect(validate(validateInput('first'), { cloud, deployedConfig })).rejects.toMatchObject({
      name: 'LabSettling',
      message:
        'section-1 instances still stopping: i-web-1, i-web-2; Validate is retried until they have stopped',
    });
    for (const instance of cloud.section1) instance.state = 'stopped';
    await expect(validate(validateInput('first'), { cloud, deployedConfig })).resolves.toBeDefined();
  });

  it('tear-down never touches a lab another running execution holds (a redrive while it runs)', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('running'), { cloud, deployedConfig });
    await provisionLab(cloud);

    const redriven = tearDown(
      { executionId: arnOf('old'), executionName: 'old', config: undefined },
      { cloud, deployedConfig },
    );

    await expect(redriven).rejects.toMatchObject({ name: 'LabBusy' });
    expect(cloud.calls).not.toContain('stopSection1Instances');
  });

  it('tear-down releases the lab once nothing runs, and reports what it stopped', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('first'), { cloud, deployedConfig });
    await provisionLab(cloud);

    const out = await tearDown(
      { executionId: arnOf('first'), executionName: 'first', config: undefined },
      { cloud, deployedConfig },
    );

    expect(out.stopped).toEqual([
      'i-web-1 (running)',
      'i-web-2 (running)',
      'i-scale-1 (InService in scalelab-serve)',
    ]);
    expect(await cloud.labHolder()).toBeUndefined();
  });
});

describe('on-execution-end', () => {
  it("matches only the lab workflow's ends, with AWS's status-change envelope", () => {
    const pattern = executionEndPattern(MACHINE);
    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']) {
      expect(matchesPattern(pattern, statusChange('x', status)), status).toBe(true);
    }
    expect(matchesPattern(pattern, statusChange('x', 'RUNNING'))).toBe(false);
    const other = statusChange('x', 'ABORTED');
    other.detail.stateMachineArn = `${MACHINE}-other`;
    expect(matchesPattern(pattern, other)).toBe(false);
  });

  it('tears down the lab of a stopped execution, releases it and announces what it stopped', async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('stopped'), { cloud, deployedConfig });
    await provisionLab(cloud);
    const event = statusChange('stopped', 'ABORTED');

    const out = await onExecutionEnd(parseExecutionEnd(event), { cloud, deployedConfig });

    expect(out).toMatchObject({
      action: 'torn-down',
      stopped: expect.arrayContaining(['i-web-1 (running)']),
    });
    expect(cloud.present()).toEqual([]);
    expect(cloud.section1.every((i) => i.state === 'stopped')).toBe(true);
    expect(await cloud.labHolder()).toBeUndefined();
    expect(cloud.events.filter((e) => e.detailType === LAB_TORN_DOWN_EVENT_TYPE)).toEqual([
      {
        detailType: LAB_TORN_DOWN_EVENT_TYPE,
        detail: expect.objectContaining({ executionName: 'stopped', status: 'ABORTED' }),
      },
    ]);
    // At least once: the same event again finds the lab released and does nothing.
    cloud.calls.length = 0;
    expect(await onExecutionEnd(parseExecutionEnd(event), { cloud, deployedConfig })).toEqual({
      action: 'not-holder',
    });
    expect(cloud.calls).toEqual([]);
  });

  it("leaves alone a lab another execution holds: a refused execution's end, or a late event", async () => {
    const cloud = new FakeCloud();
    await validate(validateInput('holder'), { cloud, deployedConfig });
    await provisionLab(cloud);

    const out = await onExecutionEnd(parseExecutionEnd(statusChange('refused', 'FAILED')), {
      cloud,
      deployedConfig,
    });

    expect(out).toEqual({ action: 'not-holder' });
    expect(cloud.calls).not.toContain('stopSection1Instances');
    expect((await cloud.labHolder())?.executionName).toBe('holder');
  });

  it('names the field when the event is not a status change', () => {
    expect(() => parseExecutionEnd({ detail: { executionArn: 'a', name: 'n' } })).toThrow(/status/);
  });
});
