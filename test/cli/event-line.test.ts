import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../cli/event-line.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';

function autoScalingEvent(detailType: string, detail: Record<string, unknown>): EventBridgeEvent {
  return {
    version: '0',
    id: '7f0a1c9e-1111-2222-3333-444455556666',
    'detail-type': detailType,
    source: 'aws.autoscaling',
    account: '000000000000',
    time: '2026-11-30T11:42:10Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

describe('describeEvent', () => {
  it('names the hook of a lifecycle action event, which has no Cause', () => {
    // Prepare
    const event = autoScalingEvent('EC2 Instance-launch Lifecycle Action', {
      AutoScalingGroupName: 'scalelab-serve',
      LifecycleHookName: 'scalelab-wait-for-app',
      EC2InstanceId: 'i-da0fc3937e426ded4',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
    });

    // Act
    const line = describeEvent(event);

    // Assess
    expect(line).toBe(
      '2026-11-30T11:42:10Z aws.autoscaling EC2 Instance-launch Lifecycle Action i-da0fc3937e426ded4: waits in hook scalelab-wait-for-app',
    );
  });

  it('keeps the capacity sentence of a launch result', () => {
    const event = autoScalingEvent('EC2 Instance Launch Successful', {
      EC2InstanceId: 'i-da0fc3937e426ded4',
      Cause:
        'At 2026-11-30T11:42:00Z a monitor alarm X in state ALARM triggered policy P. At 2026-11-30T11:42:10.224Z an instance was started, increasing the capacity from 1 to 2.',
    });

    expect(describeEvent(event)).toBe(
      '2026-11-30T11:42:10Z aws.autoscaling EC2 Instance Launch Successful i-da0fc3937e426ded4: At 2026-11-30T11:42:10.224Z an instance was started, increasing the capacity from 1 to 2.',
    );
  });
});
