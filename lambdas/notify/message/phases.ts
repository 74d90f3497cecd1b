/**
 * Words for the workflow's phases (the step names the handlers announce) and for the errors the
 * workflow ends with, so a message reads as what the lab was doing rather than a function name.
 */

const PHASE_LABELS: Readonly<Record<string, string>> = {
  validate: 'validating the configuration',
  provision: 'provisioning the lab',
  'check-health': 'waiting until every target is healthy',
  'verify-load-balancing': 'verifying load balancing',
  'start-stress': 'stressing the scaling group',
  'arm-observer': 'watching the group scale',
  'tear-down': 'tearing down',
  verdict: 'judging the run',
};

/** "provisioning the lab", or the phase's own name when it has no label. */
export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase] ?? phase;
}

/**
 * Phases a polling loop enters again and again (the health check runs every poll interval):
 * one message for the first time in a row is enough.
 */
export const REPEATING_PHASES: ReadonlySet<string> = new Set(['check-health']);

/** The Fail state's error when the verdict was FAIL: the verdict message has already said so. */
export const VERDICT_FAIL_ERROR = 'LabVerdictFail';

/**
 * A task failure's cause as Lambda writes it is JSON (`errorType`, `errorMessage`, `trace`):
 * the message is what a person needs; anything else is shown as it is.
 */
export function readableCause(cause: string): string {
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      // The error's name is shown beside the cause already; the message is what is new.
      return String((parsed as { errorMessage: unknown }).errorMessage);
    }
  } catch {
    // Not JSON: a cause written by a Fail state or by a person stopping the execution.
  }
  return cause;
}
