import { describe, expect, it } from 'vitest';
import { NOTIFY_EVENT_PATTERN, notifyEventPattern } from '../../../lambdas/notify/event/pattern.js';
import { compilePattern } from '../../../local/eventbridge/index.js';
import { type FixtureName, fixture } from '../fixtures.js';

const NOTIFIED: FixtureName[] = [
  'execution-running',
  'execution-failed',
  'phase-changed',
  'verdict-pass',
  'verdict-fail',
  'scale-out',
  'scale-in',
  'launch-provision',
  'launch-unsuccessful',
];

describe('NOTIFY_EVENT_PATTERN', () => {
  it('is a pattern the local bus accepts, matching every event worth a message', () => {
    const matches = compilePattern(NOTIFY_EVENT_PATTERN);

    for (const name of NOTIFIED) expect(matches(fixture(name)), name).toBe(true);
    const tornDown = fixture('phase-changed');
    tornDown['detail-type'] = 'Lab Torn Down';
    expect(matches(tornDown)).toBe(true);
  });

  it('leaves out a SUCCEEDED status, other sources and detail-types, and other groups', () => {
    const matches = compilePattern(NOTIFY_EVENT_PATTERN);
    const alarm = fixture('phase-changed');
    alarm.source = 'aws.cloudwatch';
    alarm['detail-type'] = 'CloudWatch Alarm State Change';
    const otherLabEvent = fixture('phase-changed');
    otherLabEvent['detail-type'] = 'Lab Progress';
    const otherGroup = fixture('scale-out');
    otherGroup.detail.AutoScalingGroupName = 'someone-elses-group';
    const lifecycle = fixture('scale-out');
    lifecycle['detail-type'] = 'EC2 Instance-launch Lifecycle Action';

    for (const event of [fixture('execution-succeeded'), alarm, otherLabEvent, otherGroup, lifecycle]) {
      expect(matches(event), `${event.source} ${event['detail-type']}`).toBe(false);
    }
  });

  it('narrows status changes to one state machine and the lab group when told them', () => {
    const matches = compilePattern(
      notifyEventPattern({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Operator-LabLifecycle',
        autoScalingGroupName: 'Lab-ScalingGroup-1A2B',
      }),
    );
    const ours = fixture('execution-running');
    ours.detail.stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Operator-LabLifecycle';
    const ourGroup = fixture('scale-out');
    ourGroup.detail.AutoScalingGroupName = 'Lab-ScalingGroup-1A2B';

    expect(matches(ours)).toBe(true);
    expect(matches(fixture('execution-running'))).toBe(false);
    expect(matches(ourGroup)).toBe(true);
    expect(matches(fixture('scale-out'))).toBe(false);
  });
});
