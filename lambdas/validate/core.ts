/**
 * Validate: the execution input's configuration, merged over the deployed configuration (the one
 * the lab's resources were built from), and its budgets.
 */
import { assertBudgetsFitWorkflow, computeBudgets, type LabBudgets } from '../../lab/budgets.js';
import type { LabConfig } from '../../lab/config.js';
import { mergeOverDeployed } from '../../lab/config-per-run.js';
import { InvalidLabConfig } from '../../lab/workflow-errors.js';
import { assertLabAtRest } from '../lab-guard/at-rest.js';
import { claimTheLab } from '../lab-guard/claim.js';
import { readRecord, readString } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';

export interface ValidateInput {
  executionId: string;
  executionName: string;
  /** The execution input: `{ "config": { …overrides } }`, optionally with a `Comment`. */
  input: Record<string, unknown>;
}

export interface ValidateOutput {
  config: LabConfig;
  budgets: LabBudgets;
}

const CONFIG_FIELD = 'config';
/** The console's Start execution dialog pre-fills `{"Comment": "Insert your JSON here"}`. */
const COMMENT_FIELD = 'Comment';

export function parseValidateInput(event: unknown): ValidateInput {
  const record = readRecord(event, 'event');
  return {
    executionId: readString(record, 'executionId'),
    executionName: readString(record, 'executionName'),
    input: readRecord(record.input ?? {}, 'input'),
  };
}

/** Refuses anything at the top of the input but `config` and a `Comment` string, naming it. */
function checkInputFields(input: Record<string, unknown>): void {
  const comment = input[COMMENT_FIELD];
  if (comment !== undefined && typeof comment !== 'string') {
    throw new InvalidLabConfig(
      `the execution input's Comment must be a string, got ${JSON.stringify(comment)}`,
    );
  }
  const unknown = Object.keys(input).filter((key) => key !== CONFIG_FIELD && key !== COMMENT_FIELD);
  if (unknown.length > 0) {
    throw new InvalidLabConfig(
      `the execution input may only hold "config" (and a "Comment" string), got ${unknown.map((k) => JSON.stringify(k)).join(', ')}`,
    );
  }
}

/**
 * Claims the lab for this execution (LabBusy, naming the one that holds it, ends the workflow
 * without touching the lab), then refuses a bad configuration before anything is provisioned; the
 * error names the field. An override of a field fixed at deploy is refused too
 * (lab/config-per-run.ts): the resources were built with the deployed value, and later steps
 * would otherwise undo or contradict it. Last, the lab must be at rest (LabNotAtRest).
 */
export async function run(
  input: ValidateInput,
  { cloud, deployedConfig }: Pick<StepDeps, 'cloud' | 'deployedConfig'>,
): Promise<ValidateOutput> {
  const { executionId, executionName } = input;
  // The holder's own tear-down bound is not known here: the deployed one stands for it.
  const claim = await claimTheLab(
    cloud,
    { executionId, executionName, since: cloud.now() },
    deployedConfig.timeouts.tearDownSeconds,
  );
  checkInputFields(input.input);
  const config = mergeOverDeployed(deployedConfig, input.input.config ?? {});
  const budgets = computeBudgets(config);
  assertBudgetsFitWorkflow(config, budgets);
  await assertLabAtRest(cloud, claim.tookOverFrom?.executionName);
  return { config, budgets };
}

/** The validate step as the shared handler wraps it. */
export const validateStep = defineStep({ step: 'validate', parse: parseValidateInput, run });
