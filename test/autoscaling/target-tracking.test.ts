import { afterEach, describe, expect, it } from 'vitest';
import type { AutoScalingEventDetail } from '../../local/autoscaling/index.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import { LocalAws } from '../../local/local-aws.js';
import { testSubnet } from '../helpers/subnet.js';
import { waitFor } from '../helpers/wait-for.js';

let cloud: LocalAws | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** A scaling lab at 120 simulated seconds per real second: a 60 s alarm period is 0.5 s real. */
async function scalingLab() {
  cloud = new LocalAws({ timeScale: 120, subnet: testSubnet(), bootSeconds: 10 });
  const { elb, autoscaling } = cloud;
  const lb = await elb.createLoadBalancer({ name: 'scaling' });
  const targets = elb.createTargetGroup({
    name: 'scaling-targets',
    port: 5000,
    healthCheck: { intervalSeconds: 10, healthyThresholdCount: 2 },
    deregistrationDelaySeconds: 30,
  });
  elb.createListener(lb, targets);
  const events: EventBridgeEvent<string, AutoScalingEventDetail>[] = [];
  cloud.bus.putRule({ name: 'scaling-events', eventPattern: { source: ['aws.autoscaling'] } });
  cloud.bus.putTargets('scaling-events', [
    { id: 'record', handler: (event) => void events.push(event as never) },
  ]);
  autoscaling.createAutoScalingGroup({
    autoScalingGroupName: 'lab-asg',
    app: 'serve',
    // One vCPU: the one stress worker below reads 100 %.
    instanceType: 't2.micro',
    minSize: 0,
    maxSize: 3,
    desiredCapacity: 1,
    healthCheckType: 'ELB',
    defaultInstanceWarmup: 60,
    targetGroups: [targets],
  });
  autoscaling.putScalingPolicy({ autoScalingGroupName: 'lab-asg', policyName: 'cpu50', targetValue: 50 });
  return { cloud, lb, events };
}

function inService(lab: LocalAws): number {
  const [group] = lab.autoscaling.describeAutoScalingGroups(['lab-asg']);
  return group?.Instances?.filter(({ LifecycleState }) => LifecycleState === 'InService').length ?? 0;
}

describe('Auto Scaling target tracking with real CPU', () => {
  it('scales out after exactly 3 high datapoints and back in after 15 low ones', async () => {
    const lab = await scalingLab();
    await waitFor(() => inService(lab.cloud) === 1, { what: 'the first instance in service' });
    const stress = await fetch(lab.lb.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 900, workers: 1, load: 100 }),
    });
    expect(stress.status).toBe(202);

    await waitFor(
      () => lab.cloud.autoscaling.describeAutoScalingGroups(['lab-asg'])[0]?.DesiredCapacity === 2,
      {
        timeoutMs: 20_000,
        what: 'scale-out to 2',
      },
    );
    const [high, low] = lab.cloud.autoscaling.alarmsOf('lab-asg');
    const evaluations = high?.evaluations() ?? [];
    const firstAlarm = evaluations.findIndex(({ state }) => state === 'ALARM');
    expect(evaluations[firstAlarm]?.breaching).toBe(3);
    expect(evaluations[firstAlarm - 1]?.state).not.toBe('ALARM');
    const [scaleOut] = lab.cloud.autoscaling.describeScalingActivities('lab-asg');
    expect(scaleOut?.Cause).toMatch(
      /a monitor alarm TargetTracking-lab-asg-AlarmHigh-\S+ in state ALARM triggered policy cpu50 changing the desired capacity from 1 to 2\. At \S+ an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 1 to 2\./,
    );
    await waitFor(() => inService(lab.cloud) === 2, { what: 'two instances in service' });

    await waitFor(
      () => lab.cloud.autoscaling.describeAutoScalingGroups(['lab-asg'])[0]?.DesiredCapacity === 1,
      {
        timeoutMs: 40_000,
        what: 'scale-in back to 1',
      },
    );
    const lowEvaluations = low?.evaluations() ?? [];
    const lowAlarm = lowEvaluations.find(({ state }) => state === 'ALARM');
    expect(lowAlarm?.breaching).toBe(15);
    await waitFor(() => lab.events.some((e) => e['detail-type'] === 'EC2 Instance Terminate Successful'), {
      timeoutMs: 10_000,
      what: 'the terminate event',
    });
    const launch = lab.events.find((e) => e['detail-type'] === 'EC2 Instance Launch Successful');
    expect(launch).toMatchObject({
      version: '0',
      source: 'aws.autoscaling',
      account: '000000000000',
      region: 'us-east-1',
      detail: {
        StatusCode: 'InProgress',
        AutoScalingGroupName: 'lab-asg',
        Details: { 'Availability Zone': 'us-east-1a', 'Subnet ID': expect.any(String) },
        StatusMessage: '',
      },
    });
    expect(launch?.detail.Description).toBe(`Launching a new EC2 instance: ${launch?.detail.EC2InstanceId}`);
    expect(launch?.resources).toEqual([
      expect.stringMatching(
        /^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:.+:autoScalingGroupName\/lab-asg$/,
      ),
      `arn:aws:ec2:us-east-1:000000000000:instance/${launch?.detail.EC2InstanceId}`,
    ]);
  }, 90_000);
});
