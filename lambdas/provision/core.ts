/** Provision: start the section-1 instances and size the Auto Scaling group as configured. */
import type { GroupSize, Section1Instance } from '../cloud/cloud.js';
import { readStepInput, type StepInput } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';

export interface ProvisionOutput {
  section1: Section1Instance[];
  group: GroupSize;
  /** Epoch ms (simulated locally) when the step began: every instance this execution launches has a moment after it. */
  startedAt: number;
  /** Epoch ms (simulated locally). */
  provisionedAt: number;
}

export function parseProvisionInput(event: unknown): StepInput {
  const { event: _event, ...input } = readStepInput(event);
  return input;
}

/** Idempotent: starting running instances and setting the same size again change nothing. */
export async function run(input: StepInput, { cloud }: Pick<StepDeps, 'cloud'>): Promise<ProvisionOutput> {
  const { section2 } = input.config;
  const group: GroupSize = {
    minSize: section2.minSize,
    maxSize: section2.maxSize,
    desiredCapacity: section2.desiredCapacity,
  };
  const startedAt = cloud.now();
  const section1 = await cloud.startSection1Instances();
  await cloud.updateGroupSize(group);
  return { section1, group, startedAt, provisionedAt: cloud.now() };
}

/** The provision step as the shared handler wraps it. */
export const provisionStep = defineStep({
  step: 'provision',
  parse: parseProvisionInput,
  run,
  holdsLab: true,
});
