/**
 * Errors of the local Step Functions service, named exactly as AWS's error codes so a later
 * AWS JSON protocol layer can put `name` into `__type` unchanged.
 */
export class StepFunctionsError extends Error {
  override name = 'StepFunctionsError';
}

export class ExecutionAlreadyExists extends StepFunctionsError {
  override name = 'ExecutionAlreadyExists';
}

export class ExecutionDoesNotExist extends StepFunctionsError {
  override name = 'ExecutionDoesNotExist';
}

export class ExecutionNotRedrivable extends StepFunctionsError {
  override name = 'ExecutionNotRedrivable';
}

export class StateMachineDoesNotExist extends StepFunctionsError {
  override name = 'StateMachineDoesNotExist';
}

export class StateMachineAlreadyExists extends StepFunctionsError {
  override name = 'StateMachineAlreadyExists';
}

export class InvalidName extends StepFunctionsError {
  override name = 'InvalidName';
}

export class InvalidArn extends StepFunctionsError {
  override name = 'InvalidArn';
}

export class InvalidExecutionInput extends StepFunctionsError {
  override name = 'InvalidExecutionInput';
}

export class InvalidOutput extends StepFunctionsError {
  override name = 'InvalidOutput';
}

export class InvalidDefinition extends StepFunctionsError {
  override name = 'InvalidDefinition';
}

export class InvalidToken extends StepFunctionsError {
  override name = 'InvalidToken';
}

export class TaskDoesNotExist extends StepFunctionsError {
  override name = 'TaskDoesNotExist';
}

export class TaskTimedOut extends StepFunctionsError {
  override name = 'TaskTimedOut';
}

export class ValidationException extends StepFunctionsError {
  override name = 'ValidationException';
}

/**
 * A task error raised inside a running execution (not an API error): its `name` is the ASL error
 * name that Retry/Catch match, its `message` becomes the Catch output's `Cause`.
 */
export class TaskError extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}
