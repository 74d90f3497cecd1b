import { arn } from '../arn.js';
import { InvalidArn, InvalidName } from './errors.js';

const STATE_MACHINE_PREFIX = arn('states', 'stateMachine:');
const EXECUTION_PREFIX = arn('states', 'execution:');

// AWS's rule for state machine and execution names: 1-80 characters, none of these, no whitespace
// and no control characters.
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** Throws {@link InvalidName} unless `name` follows AWS's naming rules. */
export function assertValidName(name: string, what: 'execution' | 'state machine'): void {
  if (name.length < 1 || name.length > 80) {
    throw new InvalidName(`Invalid Name: '${name}' (${what} names must be 1 to 80 characters long)`);
  }
  if (FORBIDDEN_NAME_CHARACTERS.test(name) || CONTROL_CHARACTERS.test(name)) {
    throw new InvalidName(
      `Invalid Name: '${name}' (${what} names must not contain whitespace, brackets, wildcards or special characters)`,
    );
  }
}

/** A replay's name, `<original>-replay-<base36 time>`, kept within AWS's 80 characters. */
export function replayName(original: string, nowMs = Date.now()): string {
  const suffix = `-replay-${nowMs.toString(36)}`;
  return `${original.slice(0, 80 - suffix.length)}${suffix}`;
}

export function stateMachineArn(name: string): string {
  return `${STATE_MACHINE_PREFIX}${name}`;
}

export function executionArn(stateMachineName: string, executionName: string): string {
  return `${EXECUTION_PREFIX}${stateMachineName}:${executionName}`;
}

/** The state machine name inside a state machine ARN; throws {@link InvalidArn} otherwise. */
export function parseStateMachineArn(arn: string): string {
  const name = arn.startsWith(STATE_MACHINE_PREFIX) ? arn.slice(STATE_MACHINE_PREFIX.length) : '';
  if (name === '' || name.includes(':'))
    throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return name;
}

/** The state machine and execution names inside an execution ARN; throws {@link InvalidArn} otherwise. */
export function parseExecutionArn(arn: string): { stateMachineName: string; executionName: string } {
  const rest = arn.startsWith(EXECUTION_PREFIX) ? arn.slice(EXECUTION_PREFIX.length) : '';
  const [stateMachineName, executionName, extra] = rest.split(':');
  if (!stateMachineName || !executionName || extra !== undefined) {
    throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  }
  return { stateMachineName, executionName };
}
