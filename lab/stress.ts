/**
 * The lab's stress as the serve app takes it, and what a stressed instance then reads. The
 * configuration says how busy the instance should be (`stress.cpuPercent` of all its vCPUs); the
 * serve app takes workers and a load per worker in percent of one core.
 */
import { INSTANCE_TYPES } from './aws-facts.js';
import type { LabConfig } from './config.js';

/** The body of the stress `POST /` (node-app/stress/stress-request.ts). */
export interface StressRequestBody {
  seconds: number;
  workers: number;
  load: number;
}

type StressInput = Pick<LabConfig, 'instanceType' | 'stress'>;

/** One worker per vCPU of the instance type, each at `cpuPercent` of one core. */
export function stressRequest({ instanceType, stress }: StressInput): StressRequestBody {
  return { seconds: stress.seconds, workers: INSTANCE_TYPES[instanceType].vcpus, load: stress.cpuPercent };
}

/**
 * CPUUtilization of the stressed instance, in percent of its vCPUs: workers × load over the
 * vCPUs, at most 100 (the app's own CPU left out: a fraction of a percent).
 */
export function stressedInstanceCpuPercent(config: StressInput): number {
  const { workers, load } = stressRequest(config);
  return Math.min(100, (workers * load) / INSTANCE_TYPES[config.instanceType].vcpus);
}
