/**
 * What a workflow step is, apart from how it is wrapped: its name, how it reads its event and its
 * pure core. Cores import this, never Middy, so they stay plain functions of (input, deps).
 */
import type { LabConfig } from '../lab/config.js';
import type { Cloud } from './cloud/cloud.js';

/** What a core may use besides its input. */
export interface StepDeps {
  cloud: Cloud;
  fetch: typeof fetch;
  /** The configuration the lab's resources were built from: what an execution's input overrides. */
  deployedConfig: LabConfig;
}

/** One step: its name, how to read its event, and its pure core. */
export interface StepDefinition<TInput, TOutput> {
  step: string;
  parse(event: unknown): TInput;
  run(input: TInput, deps: StepDeps): Promise<TOutput>;
  /** Workflow steps announce their phase; the scaling-event target does not. */
  announcesPhase?: boolean;
  /** Acts on the lab: holds it before running (lab-guard/hold.ts), so a redrive cannot share it. */
  holdsLab?: boolean;
}

/** Declares a step with its input and output types inferred from `parse` and `run`. */
export function defineStep<TInput, TOutput>(
  definition: StepDefinition<TInput, TOutput>,
): StepDefinition<TInput, TOutput> {
  return definition;
}
