/**
 * Every step that acts on the lab holds it first. Validate claims it for the execution, so on the
 * normal path this finds the claim already the execution's own; it matters on a redrive, which
 * resumes at the step that did not succeed, after the claim was released: the step claims the lab
 * again, or fails with LabBusy while another execution uses it, touching nothing.
 */
import { InvalidHandlerInput } from '../../lab/workflow-errors.js';
import type { StepDeps } from '../step.js';
import { claimTheLab } from './claim.js';

function stringField(input: unknown, field: string): string {
  const value = (input as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new InvalidHandlerInput(`a step that acts on the lab needs ${field} in its input`);
  }
  return value;
}

/** Claims the lab for the execution named in a step's parsed `input` (LabBusy if another holds it). */
export async function holdTheLab(
  input: unknown,
  deps: Pick<StepDeps, 'cloud' | 'deployedConfig'>,
): Promise<void> {
  const holder = {
    executionId: stringField(input, 'executionId'),
    executionName: stringField(input, 'executionName'),
    since: deps.cloud.now(),
  };
  await claimTheLab(deps.cloud, holder, deps.deployedConfig.timeouts.tearDownSeconds);
}
