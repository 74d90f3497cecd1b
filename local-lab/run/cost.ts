import type { EventBridgeEvent } from '../../local/eventbridge/index.js';

/**
 * us-east-1 on-demand prices, as of 2026-11 (docs/aws-behaviour.md, "Costs"). Update them here.
 */
export const AWS_PRICES = {
  asOf: '2026-11',
  t3MicroPerHour: 0.0104,
  albPerHour: 0.0225,
  /** One LCU-hour per ALB for the run: a lab's traffic stays well inside one LCU. */
  lcuPerHour: 0.008,
  publicIpv4PerHour: 0.005,
  stepFunctionsPerTransition: 0.025 / 1000,
} as const;

/** EC2 bills Linux instances per second with a one-minute minimum. */
const MINIMUM_BILLED_SECONDS = 60;
/** An internet-facing ALB in two AZs holds two public IPv4 addresses. */
const PUBLIC_IPS_PER_ALB = 2;
const LOAD_BALANCERS = 2;

export interface CostEstimate {
  pricesAsOf: string;
  instanceHours: number;
  loadBalancerHours: number;
  stateTransitions: number;
  usd: { instances: number; loadBalancers: number; publicIpv4: number; stepFunctions: number; total: number };
  assumptions: string;
}

/** Simulated seconds each instance was pending or running, from the EC2 state-change events. */
function instanceSeconds(events: readonly EventBridgeEvent[]): number[] {
  const since = new Map<string, number>();
  const durations: number[] = [];
  for (const event of events) {
    if (event.source !== 'aws.ec2') continue;
    const { 'instance-id': id, state } = event.detail as { 'instance-id': string; state: string };
    const at = Date.parse(event.time);
    if ((state === 'pending' || state === 'running') && !since.has(id)) since.set(id, at);
    if (state === 'stopped' || state === 'terminated') {
      const start = since.get(id);
      if (start !== undefined) durations.push(Math.max(MINIMUM_BILLED_SECONDS, (at - start) / 1000));
      since.delete(id);
    }
  }
  return durations;
}

const round = (usd: number): number => Math.round(usd * 10_000) / 10_000;

/**
 * What the same run would cost on AWS: instance time from the run's own EC2 events, both ALBs and
 * their public addresses for the whole run, and Step Functions state transitions.
 */
export function estimateCost(input: {
  events: readonly EventBridgeEvent[];
  simulatedSeconds: number;
  stateTransitions: number;
}): CostEstimate {
  const perInstance = instanceSeconds(input.events);
  const instanceHours = perInstance.reduce((sum, seconds) => sum + seconds, 0) / 3600;
  const hours = input.simulatedSeconds / 3600;
  const loadBalancerHours = LOAD_BALANCERS * hours;
  const p = AWS_PRICES;
  const instances = instanceHours * (p.t3MicroPerHour + p.publicIpv4PerHour);
  const loadBalancers = loadBalancerHours * (p.albPerHour + p.lcuPerHour);
  const publicIpv4 = loadBalancerHours * PUBLIC_IPS_PER_ALB * p.publicIpv4PerHour;
  const stepFunctions = input.stateTransitions * p.stepFunctionsPerTransition;
  return {
    pricesAsOf: p.asOf,
    instanceHours: Math.round(instanceHours * 1000) / 1000,
    loadBalancerHours: Math.round(loadBalancerHours * 1000) / 1000,
    stateTransitions: input.stateTransitions,
    usd: {
      instances: round(instances),
      loadBalancers: round(loadBalancers),
      publicIpv4: round(publicIpv4),
      stepFunctions: round(stepFunctions),
      total: round(instances + loadBalancers + publicIpv4 + stepFunctions),
    },
    assumptions:
      't3.micro with a public IPv4 each, billed per second (60 s minimum); two ALBs in two AZs for the whole run with one LCU each; Lambda, EventBridge and CloudWatch inside the free tier; us-east-1 on-demand prices',
  };
}
