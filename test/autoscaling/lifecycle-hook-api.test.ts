import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_TRANSITIONS } from '../../lab/aws-facts.js';
import {
  type LifecycleActionInput,
  LimitExceededFault,
  type PutLifecycleHookInput,
  ValidationError,
} from '../../local/autoscaling/index.js';
import { LocalAws } from '../../local/local-aws.js';
import { testSubnet } from '../helpers/subnet.js';

const GROUP = 'api-asg';
const LAUNCHING = LIFECYCLE_TRANSITIONS.launching;
const TERMINATING = LIFECYCLE_TRANSITIONS.terminating;
const SOME_TOKEN = '87654321-4321-4321-4321-210987654321';

let cloud: LocalAws;

beforeEach(() => {
  // An empty group: the API's answers need no instance.
  cloud = new LocalAws({ timeScale: 100, subnet: testSubnet() });
  cloud.autoscaling.createAutoScalingGroup({
    autoScalingGroupName: GROUP,
    app: 'serve',
    instanceType: 't3.micro',
    minSize: 0,
    maxSize: 1,
    desiredCapacity: 0,
  });
});

afterEach(() => cloud.close());

function put(fields: Record<string, unknown>): void {
  cloud.autoscaling.putLifecycleHook({
    autoScalingGroupName: GROUP,
    lifecycleHookName: 'hook',
    lifecycleTransition: LAUNCHING,
    // Some tests pass what the types forbid, as a JSON caller could.
    ...(fields as Partial<PutLifecycleHookInput>),
  });
}

describe('PutLifecycleHook and DescribeLifecycleHooks', () => {
  it("applies AWS's defaults: heartbeat 3600 s, ABANDON, global timeout the smaller of 48 h and 100 heartbeats", () => {
    put({});
    put({ lifecycleHookName: 'short', lifecycleTransition: TERMINATING, heartbeatTimeout: 30 });

    expect(cloud.autoscaling.describeLifecycleHooks({ autoScalingGroupName: GROUP })).toEqual([
      {
        LifecycleHookName: 'hook',
        AutoScalingGroupName: GROUP,
        LifecycleTransition: LAUNCHING,
        HeartbeatTimeout: 3600,
        GlobalTimeout: 172_800,
        DefaultResult: 'ABANDON',
      },
      {
        LifecycleHookName: 'short',
        AutoScalingGroupName: GROUP,
        LifecycleTransition: TERMINATING,
        HeartbeatTimeout: 30,
        GlobalTimeout: 3000,
        DefaultResult: 'ABANDON',
      },
    ]);
  });

  it('updates the fields given and keeps the others; describes only the hooks named that exist', () => {
    put({ heartbeatTimeout: 60, notificationMetadata: 'meta' });

    cloud.autoscaling.putLifecycleHook({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'hook',
      defaultResult: 'CONTINUE',
    });

    expect(
      cloud.autoscaling.describeLifecycleHooks({
        autoScalingGroupName: GROUP,
        lifecycleHookNames: ['hook', 'missing'],
      }),
    ).toEqual([
      {
        LifecycleHookName: 'hook',
        AutoScalingGroupName: GROUP,
        LifecycleTransition: LAUNCHING,
        HeartbeatTimeout: 60,
        GlobalTimeout: 6000,
        DefaultResult: 'CONTINUE',
        NotificationMetadata: 'meta',
      },
    ]);
  });

  it.each([
    [{ heartbeatTimeout: 29 }, 'HeartbeatTimeout must be an integer from 30 to 7200 seconds, got 29'],
    [{ heartbeatTimeout: 7201 }, 'HeartbeatTimeout must be an integer from 30 to 7200 seconds, got 7201'],
    [{ heartbeatTimeout: 45.5 }, 'HeartbeatTimeout must be an integer from 30 to 7200 seconds, got 45.5'],
    [{ defaultResult: 'RETRY' }, "DefaultResult must be CONTINUE or ABANDON, got 'RETRY'"],
    [
      { lifecycleTransition: 'autoscaling:EC2_INSTANCE_STOPPING' },
      "LifecycleTransition must be autoscaling:EC2_INSTANCE_LAUNCHING or autoscaling:EC2_INSTANCE_TERMINATING, got 'autoscaling:EC2_INSTANCE_STOPPING'",
    ],
    [{ lifecycleTransition: undefined }, 'LifecycleTransition is required for the new lifecycle hook hook'],
    [
      { lifecycleHookName: 'my hook' },
      "LifecycleHookName must be 1-255 letters, digits, '-', '_' or '/', got 'my hook'",
    ],
    [
      { notificationMetadata: 'x'.repeat(4001) },
      'NotificationMetadata must be 1-4000 printable ASCII characters, got 4001 characters',
    ],
  ])('refuses %j with a ValidationError', (fields, message) => {
    expect(() => put(fields)).toThrow(new ValidationError(message));
    expect(cloud.autoscaling.describeLifecycleHooks({ autoScalingGroupName: GROUP })).toEqual([]);
  });

  it('refuses a hook for a group that does not exist', () => {
    expect(() => put({ autoScalingGroupName: 'nope' })).toThrow(
      new ValidationError('AutoScalingGroup name not found - AutoScalingGroup nope not found'),
    );
  });

  it('refuses a 51st hook with LimitExceeded', () => {
    for (let i = 0; i < 50; i++) put({ lifecycleHookName: `hook-${i}` });

    expect(() => put({ lifecycleHookName: 'one-too-many' })).toThrow(LimitExceededFault);
    put({ lifecycleHookName: 'hook-7', heartbeatTimeout: 90 }); // updating one is still allowed
  });

  it('refuses hooks given at group creation before creating the group', () => {
    expect(() =>
      cloud.autoscaling.createAutoScalingGroup({
        autoScalingGroupName: 'bad-hooks',
        app: 'serve',
        instanceType: 't3.micro',
        minSize: 0,
        maxSize: 1,
        lifecycleHookSpecificationList: [
          { lifecycleHookName: 'h', lifecycleTransition: LAUNCHING, heartbeatTimeout: 10 },
        ],
      }),
    ).toThrow(ValidationError);
    expect(cloud.autoscaling.describeAutoScalingGroups(['bad-hooks'])).toEqual([]);
  });
});

describe('DeleteLifecycleHook, CompleteLifecycleAction and RecordLifecycleActionHeartbeat', () => {
  const complete = (fields: Record<string, unknown>) => () =>
    cloud.autoscaling.completeLifecycleAction({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'hook',
      lifecycleActionResult: 'CONTINUE',
      ...(fields as Partial<LifecycleActionInput>),
    });

  it('deletes a hook, then names it as unknown', () => {
    put({});
    cloud.autoscaling.deleteLifecycleHook({ autoScalingGroupName: GROUP, lifecycleHookName: 'hook' });

    expect(cloud.autoscaling.describeLifecycleHooks({ autoScalingGroupName: GROUP })).toEqual([]);
    expect(() =>
      cloud.autoscaling.deleteLifecycleHook({ autoScalingGroupName: GROUP, lifecycleHookName: 'hook' }),
    ).toThrow(new ValidationError(`No Lifecycle Hook found with name hook for AutoScalingGroup ${GROUP}`));
  });

  it.each([
    [
      { lifecycleHookName: 'other', lifecycleActionToken: SOME_TOKEN },
      `No Lifecycle Hook found with name other for AutoScalingGroup ${GROUP}`,
    ],
    [{ lifecycleActionToken: SOME_TOKEN }, `No active Lifecycle Action found with token ${SOME_TOKEN}`],
    [
      { instanceId: 'i-0123456789abcdef0' },
      'No active Lifecycle Action found with instance ID i-0123456789abcdef0',
    ],
    [{}, 'Either LifecycleActionToken or InstanceId must be specified'],
    [{ lifecycleActionToken: 'abc' }, "LifecycleActionToken must be 36 characters, got 'abc'"],
    [
      { lifecycleActionToken: SOME_TOKEN, lifecycleActionResult: 'RETRY' },
      "LifecycleActionResult must be CONTINUE or ABANDON, got 'RETRY'",
    ],
  ])('CompleteLifecycleAction %j fails: %s', (fields, message) => {
    put({});
    expect(complete(fields)).toThrow(new ValidationError(message));
  });

  it('RecordLifecycleActionHeartbeat names the instance that is not waiting', () => {
    put({});
    expect(() =>
      cloud.autoscaling.recordLifecycleActionHeartbeat({
        autoScalingGroupName: GROUP,
        lifecycleHookName: 'hook',
        instanceId: 'i-0123456789abcdef0',
      }),
    ).toThrow(new ValidationError('No active Lifecycle Action found with instance ID i-0123456789abcdef0'));
  });
});
