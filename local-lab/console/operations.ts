/**
 * The console's actions: the operations `scalelab start`, `stop`, `replay` and `redrive` call
 * (StartExecution, StopExecution, a new execution with the same input, RedriveExecution), on the
 * process's own Step Functions, with the CLI's checks and words before them.
 */
import { randomUUID } from 'node:crypto';
import type { FieldErrors } from '../../console/model/console-api.js';
import { mergeOverDeployed } from '../../lab/config-per-run.js';
import { labOverridesProblem, notJsonReason } from '../../lab/execution-input.js';
import { InvalidLabConfig } from '../../lab/workflow-errors.js';
import {
  assertValidName,
  ExecutionAlreadyExists,
  replayName,
  StepFunctionsError,
} from '../../local/stepfunctions/index.js';
import type { ConsoleContext } from './context.js';
import { ConsoleRefusal, StartRefused } from './errors.js';
import { isLabArn } from './views.js';

export interface StartRequest {
  stateMachine?: unknown;
  name?: unknown;
  input?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why the lab cannot run this input, or undefined: the CLI's check of each field on its own,
 * then what Validate would refuse (a field fixed at deploy, a rule between fields), said now
 * rather than as a failed execution.
 */
function labInputProblem(context: ConsoleContext, input: unknown): string | undefined {
  if (!isRecord(input)) return 'the lab input must be a JSON object like {"config": {…}}';
  if (input.config === undefined) return undefined;
  const fieldProblem = labOverridesProblem(input.config);
  if (fieldProblem) return fieldProblem;
  try {
    mergeOverDeployed(context.config, input.config);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidLabConfig) return `invalid lab configuration: ${error.message}`;
    throw error;
  }
}

/** The field errors of a start request, empty when it may start. */
function startProblems(context: ConsoleContext, request: StartRequest, stateMachineArn?: string) {
  const errors: FieldErrors['errors'] = {};
  if (!stateMachineArn) errors.stateMachine = `no state machine named '${String(request.stateMachine)}'`;
  if (request.name !== undefined && typeof request.name !== 'string') errors.name = 'name must be text';
  else if (request.name) {
    try {
      assertValidName(request.name, 'execution');
    } catch (error) {
      errors.name = (error as Error).message;
    }
  }
  if (typeof request.input !== 'string') errors.input = 'input must be JSON text';
  else {
    const notJson = notJsonReason(request.input);
    if (notJson) errors.input = `input ${notJson}`;
    else if (isLabArn(stateMachineArn)) {
      const problem = labInputProblem(context, JSON.parse(request.input));
      if (problem) errors.input = problem;
    }
  }
  return errors;
}

/** StartExecution from the form; throws {@link StartRefused} naming each field that is wrong. */
export function startExecution(
  context: ConsoleContext,
  request: StartRequest,
): { executionArn: string; name: string } {
  const { stepFunctions } = context;
  const machine = (stepFunctions.listStateMachines({ maxResults: 1000 }).stateMachines ?? []).find(
    (m) => m.name === request.stateMachine,
  );
  const errors = startProblems(context, request, machine?.stateMachineArn);
  if (Object.keys(errors).length > 0) throw new StartRefused(400, errors);
  const name = typeof request.name === 'string' && request.name !== '' ? request.name : randomUUID();
  try {
    const { executionArn = '' } = stepFunctions.startExecution({
      stateMachineArn: machine?.stateMachineArn,
      name,
      input: request.input as string,
    });
    return { executionArn, name };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) throw new StartRefused(409, { name: error.message });
    if (error instanceof StepFunctionsError) throw new StartRefused(400, { input: error.message });
    throw error;
  }
}

/** StopExecution, refused for an execution that has ended (as `scalelab stop` refuses it). */
export function stopExecution(context: ConsoleContext, executionArn: string): { stopDate: string } {
  const { stepFunctions } = context;
  const before = stepFunctions.describeExecution({ executionArn });
  if (before.status !== 'RUNNING') {
    const ended = before.stopDate ? ` at ${before.stopDate.toISOString()}` : '';
    throw new ConsoleRefusal(
      409,
      'ExecutionNotRunning',
      `execution ${before.name ?? executionArn} is not running: it is ${before.status}${ended}; nothing to stop`,
    );
  }
  const { stopDate } = stepFunctions.stopExecution({ executionArn });
  return { stopDate: (stopDate ?? new Date()).toISOString() };
}

/** A new execution of the same state machine with the same input (`scalelab replay`). */
export function replayExecution(
  context: ConsoleContext,
  executionArn: string,
): { executionArn: string; name: string; replayOf: string } {
  const { stepFunctions } = context;
  const original = stepFunctions.describeExecution({ executionArn });
  const name = replayName(original.name ?? 'execution');
  const started = stepFunctions.startExecution({
    stateMachineArn: original.stateMachineArn,
    name,
    input: original.input,
  });
  return { executionArn: started.executionArn ?? '', name, replayOf: executionArn };
}

/** RedriveExecution: from the step that did not succeed (the engine refuses one that did). */
export function redriveExecution(context: ConsoleContext, executionArn: string): { redriveDate: string } {
  const { redriveDate } = context.stepFunctions.redriveExecution({ executionArn });
  return { redriveDate: (redriveDate ?? new Date()).toISOString() };
}
