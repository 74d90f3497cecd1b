import { describe, expect, it } from 'vitest';
import { type MetricSample, MetricStore } from '../../local/cloudwatch/index.js';
import { type ChartInput, chartInputOf, chartModelOf } from '../../local-lab/run/chart-data.js';
import type { RunEvidence } from '../../local-lab/run/run-folder.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const S = 1000;
const MIN = 60 * S;
const iso = (ms: number) => new Date(ms).toISOString();
const GROUP = 'lab-asg';
const LB = 'app/lab-scaling/0123456789abcdef';
const TG = 'targetgroup/lab-scaling-tg/0123456789abcdef';

function cpu(instanceId: string, at: number, value: number, group = false): MetricSample {
  const dimensions: Record<string, string> = group
    ? { AutoScalingGroupName: GROUP }
    : { InstanceId: instanceId };
  return {
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    dimensions,
    value,
    timestamp: at,
    source: instanceId,
  };
}

function elb(
  metricName: string,
  at: number,
  value: number,
  dimensions: Record<string, string>,
): MetricSample {
  return { namespace: 'AWS/ApplicationELB', metricName, dimensions, value, timestamp: at };
}

function input(overrides: Partial<ChartInput> = {}): ChartInput {
  return {
    startMs: T0,
    endMs: T0 + 10 * MIN,
    samples: [],
    autoScalingGroupName: GROUP,
    targetCpuPercent: 50,
    loadBalancers: [{ label: 'scaling: lab-scaling', dimension: LB }],
    healthyHosts: { TargetGroup: TG, LoadBalancer: LB },
    phases: [],
    running: false,
    activities: [],
    ...overrides,
  };
}

describe('chartModelOf', () => {
  it('draws each instance’s samples and the group average per minute as the alarms see it', () => {
    // Prepare: in minute 0, i-a reads 80 twice and i-b 20 once; the alarms weigh instances equally.
    const samples = [
      cpu('i-a', T0 - 5 * S, 99), // before the execution: left out
      cpu('i-a', T0 + 10 * S, 80),
      cpu('i-a', T0 + 10 * S, 80, true),
      cpu('i-a', T0 + 20 * S, 80),
      cpu('i-a', T0 + 20 * S, 80, true),
      cpu('i-b', T0 + 30 * S, 20),
      cpu('i-b', T0 + 30 * S, 20, true),
      cpu('i-a', T0 + 70 * S, 30),
      cpu('i-a', T0 + 70 * S, 30, true),
    ];

    // Act
    const model = chartModelOf(input({ samples }));

    // Assess
    expect(model.cpu.instances.map(({ id, points }) => [id, points.length])).toEqual([
      ['i-a', 3],
      ['i-b', 1],
    ]);
    expect(model.cpu.groupAverage?.points).toEqual([
      [T0, 50],
      [T0 + MIN, 30],
    ]);
    expect(model.cpu.thresholds.map(({ value }) => value)).toEqual([50, 45]);
    expect(model.cpu.thresholds[1]?.label).toBe('AlarmLow (< 45 for 15 of 15 min)');
  });

  it('counts in service from successful launches to the start of their termination', () => {
    // Prepare: AWS's activity wording; a failed launch and the termination of its instance change nothing.
    const activities: ChartInput['activities'] = [
      {
        description: 'Launching a new EC2 instance: i-a',
        status: 'Successful',
        startTime: iso(T0 + 10 * S),
        endTime: iso(T0 + 60 * S),
      },
      {
        description: 'Launching a new EC2 instance: i-bad',
        status: 'Failed',
        startTime: iso(T0 + 70 * S),
        endTime: iso(T0 + 90 * S),
      },
      {
        description: 'Terminating EC2 instance: i-bad',
        status: 'Successful',
        startTime: iso(T0 + 95 * S),
        endTime: iso(T0 + 99 * S),
      },
      {
        description: 'Launching a new EC2 instance: i-b',
        cause: 'At 2026-01-01T00:03:00Z a monitor alarm AlarmHigh in state ALARM triggered policy …',
        status: 'Successful',
        startTime: iso(T0 + 3 * MIN),
        endTime: iso(T0 + 4 * MIN),
      },
      {
        description: 'Terminating EC2 instance: i-b',
        status: 'InProgress',
        startTime: iso(T0 + 8 * MIN),
      },
    ];

    // Act
    const model = chartModelOf(input({ activities }));

    // Assess
    expect(model.capacity.inService.points).toEqual([
      [T0, 0],
      [T0 + MIN, 1],
      [T0 + 4 * MIN, 2],
      [T0 + 8 * MIN, 1],
      [T0 + 10 * MIN, 1],
    ]);
    expect(model.activities.map(({ kind, atMs }) => [kind, atMs])).toEqual([
      ['launch', T0 + 10 * S],
      ['launch', T0 + 70 * S],
      ['terminate', T0 + 95 * S],
      ['launch', T0 + 3 * MIN],
      ['terminate', T0 + 8 * MIN],
    ]);
    expect(model.activities[3]?.cause).toMatch(/^At 2026-01-01T00:03:00Z a monitor alarm AlarmHigh/);
  });

  it('reads healthy targets and requests per second from the load balancers’ CloudWatch metrics', () => {
    // Prepare: 30 requests in minute 0, 15 in the first 30 s of minute 1 (the run is still going).
    const hosts = { TargetGroup: TG, LoadBalancer: LB };
    const samples = [
      elb('HealthyHostCount', T0 + 10 * S, 1, hosts),
      elb('HealthyHostCount', T0 + 20 * S, 2, hosts),
      elb('HealthyHostCount', T0 + 20 * S, 7, { TargetGroup: 'targetgroup/other/1', LoadBalancer: LB }),
      elb('RequestCount', T0, 10, { LoadBalancer: LB }),
      elb('RequestCount', T0 + 30 * S, 20, { LoadBalancer: LB }),
      elb('RequestCount', T0 + 60 * S, 15, { LoadBalancer: LB }),
    ];

    // Act
    const model = chartModelOf(input({ samples, endMs: T0 + 90 * S, running: true }));

    // Assess
    expect(model.capacity.healthy.points).toEqual([
      [T0 + 10 * S, 1],
      [T0 + 20 * S, 2],
    ]);
    expect(model.requests).toEqual([
      {
        id: LB,
        label: 'scaling: lab-scaling',
        points: [
          [T0, 0.5],
          [T0 + MIN, 0.5],
        ],
      },
    ]);
  });

  it('closes every phase band of a finished run and leaves the last one open while it runs', () => {
    const phases = [
      { phase: 'Provision', simulatedStart: iso(T0), simulatedSeconds: 5 },
      { phase: 'WaitUntilHealthy', simulatedStart: iso(T0 + 5 * S), simulatedSeconds: 60 },
    ];

    const finished = chartModelOf(input({ phases }));
    const live = chartModelOf(input({ phases, running: true }));

    expect(finished.phases).toEqual([
      { name: 'Provision', startMs: T0, endMs: T0 + 5 * S },
      { name: 'WaitUntilHealthy', startMs: T0 + 5 * S, endMs: T0 + 65 * S },
    ]);
    expect(live.phases[1]).toEqual({ name: 'WaitUntilHealthy', startMs: T0 + 5 * S });
  });

  it('is plain JSON: what the server sends is what the browser draws', () => {
    const model = chartModelOf(input({ samples: [cpu('i-a', T0 + S, 5)] }));

    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    expect(model.cpu.groupAverage).toBeUndefined();
  });
});

describe('chartInputOf', () => {
  it('takes the lab’s load balancers, the group and its activities since the run began', () => {
    // Prepare: a run's evidence with one activity before its start (an earlier execution's).
    const metrics = new MetricStore();
    const arn = (kind: string, name: string) =>
      `arn:aws:elasticloadbalancing:us-east-1:000000000000:${kind}/${name}/0123456789abcdef`;
    const run = {
      simulatedStart: T0,
      config: { section2: { autoScalingGroupName: GROUP, targetCpuPercent: 60 } },
      cloud: {
        metrics,
        autoscaling: {
          describeScalingActivities: () => [
            { Description: 'Launching a new EC2 instance: i-new', StartTime: new Date(T0 + S) },
            { Description: 'Launching a new EC2 instance: i-old', StartTime: new Date(T0 - S) },
          ],
        },
      },
      lab: {
        web: { name: 'lab-web', arn: arn('loadbalancer', 'app/lab-web') },
        scaling: { name: 'lab-scaling', arn: arn('loadbalancer', 'app/lab-scaling') },
        scalingTargets: { arn: arn('targetgroup', 'lab-scaling-tg') },
      },
    } as unknown as RunEvidence;

    // Act
    const chartInput = chartInputOf(run, [], { endMs: T0 + MIN, running: true });

    // Assess
    expect(chartInput.loadBalancers).toEqual([
      { label: 'lab-web (section 1)', dimension: 'app/lab-web/0123456789abcdef' },
      { label: 'lab-scaling (section 2)', dimension: 'app/lab-scaling/0123456789abcdef' },
    ]);
    expect(chartInput.healthyHosts).toEqual({
      TargetGroup: 'targetgroup/lab-scaling-tg/0123456789abcdef',
      LoadBalancer: 'app/lab-scaling/0123456789abcdef',
    });
    expect(chartInput.activities.map(({ description }) => description)).toEqual([
      'Launching a new EC2 instance: i-new',
    ]);
    expect(chartInput.targetCpuPercent).toBe(60);
  });
});
