/** Validate: the execution input's configuration, merged over the defaults, and its budgets. */
import { assertBudgetsFitWorkflow, computeBudgets, type LabBudgets } from '../../lab/budgets.js';
import { type LabConfig, parseLabConfig } from '../../lab/config.js';
import { InvalidLabConfig } from '../../lab/workflow-errors.js';
import { readRecord, readString } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';

export interface ValidateInput {
  executionId: string;
  executionName: string;
  /** The execution input: `{ "config": { …overrides } }`. */
  input: Record<string, unknown>;
}

export interface ValidateOutput {
  config: LabConfig;
  budgets: LabBudgets;
}

const INPUT_FIELDS = ['config'];

export function parseValidateInput(event: unknown): ValidateInput {
  const record = readRecord(event, 'event');
  return {
    executionId: readString(record, 'executionId'),
    executionName: readString(record, 'executionName'),
    input: readRecord(record.input ?? {}, 'input'),
  };
}

/** Refuses a bad configuration before anything is provisioned; the error names the field. */
export async function run(input: ValidateInput, _deps?: StepDeps): Promise<ValidateOutput> {
  const unknown = Object.keys(input.input).filter((key) => !INPUT_FIELDS.includes(key));
  if (unknown.length > 0) {
    throw new InvalidLabConfig(
      `the execution input may only hold "config", got ${unknown.map((k) => JSON.stringify(k)).join(', ')}`,
    );
  }
  const config = parseLabConfig(input.input.config ?? {});
  const budgets = computeBudgets(config);
  assertBudgetsFitWorkflow(config, budgets);
  return { config, budgets };
}

/** The validate step as the shared handler wraps it. */
export const validateStep = defineStep({ step: 'validate', parse: parseValidateInput, run });
