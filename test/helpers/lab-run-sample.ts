/**
 * A finished lab run for the report's tests: the summary.json of a real run (`scalelab run
 * --time-scale 30`, test/fixtures/report/summary.json) and the metric samples its local cloud
 * would have published, made to match its phases and scaling activities: CPU every 10 simulated
 * s per instance (the first instance stressed to 80 % from the stress start to the cool-down's
 * end, idle otherwise), the group's samples past each instance's warm-up, and the load
 * balancers' RequestCount and HealthyHostCount every 10 s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricSample } from '../../local/cloudwatch/index.js';
import type { ChartInput } from '../../local-lab/run/chart-data.js';
import type { LabSummary } from '../../local-lab/run/run-folder.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'report', 'summary.json');
const STEP_MS = 10_000;
const WARM_UP_MS = 300_000;
// The names of the lab's default configuration, with made-up ids.
const GROUP = 'scalelab-serve';
const WEB_LB = 'app/web/8e4d852a895dcb5b';
const SCALING_LB = 'app/scaling/5a0b88ed6f7e96ca';
const SCALING_TG = 'targetgroup/scaling-targets/616aac3721fdbc8a';
const WEB_TG = 'targetgroup/web-targets/eec7ccf59474c7fe';

interface InstanceLife {
  id: string;
  inServiceAt: number;
  leftAt: number;
}

export function sampleSummary(): LabSummary {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as LabSummary;
}

function phaseStart(summary: LabSummary, name: string): number {
  const phase = summary.phases.find(({ phase: p }) => p === name);
  if (!phase) throw new Error(`the sample run has no phase ${name}`);
  return Date.parse(phase.simulatedStart);
}

/** Each instance from its successful launch to the start of its termination. */
function lives(summary: LabSummary, endMs: number): InstanceLife[] {
  const left = new Map<string, number>();
  for (const a of summary.scalingActivities) {
    const id = /^Terminating EC2 instance: (\S+)/.exec(a.description ?? '')?.[1];
    if (id && a.startTime) left.set(id, Date.parse(a.startTime));
  }
  return summary.scalingActivities.flatMap((a) => {
    const id = /^Launching a new EC2 instance: (\S+)/.exec(a.description ?? '')?.[1];
    if (!id || a.status !== 'Successful' || !a.endTime) return [];
    return [{ id, inServiceAt: Date.parse(a.endTime), leftAt: left.get(id) ?? endMs }];
  });
}

/** A steady wobble, so the lines look measured without being random. */
function wobble(at: number, amplitude: number): number {
  return amplitude * Math.sin(at / 37_000) * Math.cos(at / 91_000);
}

function sample(metricName: string, dimensions: Record<string, string>, value: number, at: number) {
  const namespace = metricName === 'CPUUtilization' ? 'AWS/EC2' : 'AWS/ApplicationELB';
  return { namespace, metricName, dimensions, value, timestamp: at };
}

function cpuSamples(summary: LabSummary, instances: InstanceLife[]): MetricSample[] {
  const stress = { from: phaseStart(summary, 'StartStress'), to: phaseStart(summary, 'ObserveScaleIn') };
  const stressed = instances[0]?.id;
  const samples: MetricSample[] = [];
  for (const life of instances) {
    for (let at = life.inServiceAt + STEP_MS; at < life.leftAt; at += STEP_MS) {
      const busy = life.id === stressed && at >= stress.from && at < stress.to;
      const value = Math.round((busy ? 80 + wobble(at, 3) : 1.5 + Math.abs(wobble(at, 1))) * 100) / 100;
      samples.push({ ...sample('CPUUtilization', { InstanceId: life.id }, value, at), source: life.id });
      if (at >= life.inServiceAt + WARM_UP_MS)
        samples.push({
          ...sample('CPUUtilization', { AutoScalingGroupName: GROUP }, value, at),
          source: life.id,
        });
    }
  }
  return samples.sort((a, b) => a.timestamp - b.timestamp);
}

function elbSamples(summary: LabSummary, instances: InstanceLife[], startMs: number, endMs: number) {
  const verify = phaseStart(summary, 'VerifyLoadBalancing');
  const stress = phaseStart(summary, 'StartStress');
  const webRequests = Object.values(summary.requestsPerInstance.web).reduce((sum, n) => sum + n, 0);
  const webHealthyFrom = phaseStart(summary, 'WaitUntilHealthy') + STEP_MS;
  const samples: MetricSample[] = [];
  for (let at = startMs + STEP_MS; at <= endMs; at += STEP_MS) {
    const from = at - STEP_MS;
    const within = (t: number) => t >= from && t < at;
    const healthy = instances.filter((i) => at >= i.inServiceAt + 5_000 && at < i.leftAt).length;
    samples.push(
      sample('RequestCount', { LoadBalancer: WEB_LB }, within(verify) ? webRequests : 0, from),
      sample('RequestCount', { LoadBalancer: SCALING_LB }, within(stress) ? 1 : 0, from),
      sample('HealthyHostCount', { TargetGroup: SCALING_TG, LoadBalancer: SCALING_LB }, healthy, at),
      sample(
        'HealthyHostCount',
        { TargetGroup: WEB_TG, LoadBalancer: WEB_LB },
        at >= webHealthyFrom ? 2 : 0,
        at,
      ),
    );
  }
  return samples;
}

/** The charts' input for the sample run, finished. */
export function sampleChartInput(summary: LabSummary = sampleSummary()): ChartInput {
  const startMs = Date.parse(summary.execution.startDate ?? '');
  const endMs = Date.parse(summary.execution.stopDate ?? '');
  const instances = lives(summary, endMs);
  return {
    startMs,
    endMs,
    samples: [...cpuSamples(summary, instances), ...elbSamples(summary, instances, startMs, endMs)],
    autoScalingGroupName: GROUP,
    targetCpuPercent: 50,
    loadBalancers: [
      { label: 'web (section 1)', dimension: WEB_LB },
      { label: 'scaling (section 2)', dimension: SCALING_LB },
    ],
    healthyHosts: { TargetGroup: SCALING_TG, LoadBalancer: SCALING_LB },
    phases: summary.phases,
    running: false,
    activities: summary.scalingActivities,
  };
}
