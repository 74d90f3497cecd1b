/**
 * A Task's TimeoutSeconds runs on the local Clock (tasks.ts), so a held clock holds it too, like
 * every other simulated duration; the interpreter's own timer runs in real time. The error it
 * raises must be the interpreter's own States.Timeout, which its Retry and Catch tell apart from
 * other errors (States.TaskFailed does not match it), and the interpreter does not export that
 * class: it is taken once from a one-state machine that times out at once.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

type ErrorClass = new () => Error;

const TIMES_OUT_AT_ONCE = {
  StartAt: 'T',
  States: {
    T: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:t',
      TimeoutSeconds: 0.001,
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

let found: Promise<ErrorClass> | undefined;

async function findClass(): Promise<ErrorClass> {
  const machine = new StateMachine(TIMES_OUT_AT_ONCE, { validationOptions: { noValidate: true } });
  const execution = machine.run(
    {},
    { overrides: { taskResourceLocalHandlers: { T: () => new Promise<never>(() => undefined) } } },
  );
  try {
    await execution.result;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.name === 'States.Timeout') return cause.constructor as ErrorClass;
  }
  throw new Error(
    "aws-local-stepfunctions no longer times a Task out as expected: States.Timeout's class not found",
  );
}

/** A new States.Timeout error, of the interpreter's own class. */
export async function statesTimeoutError(): Promise<Error> {
  found ??= findClass();
  return new (await found)();
}
