/**
 * `ScalelabLocal.ResetLab` on the local endpoint: scalelab's own operation, not an AWS API, that
 * resets the local cloud to the lab's clean state (lab-reset.ts). It refuses while an execution
 * runs on the lab, and while another reset runs, changing nothing.
 */
import { ApiError, type Operation, ValidationException } from '../local/api/index.js';
import type { LocalStepFunctions } from '../local/stepfunctions/index.js';
import { LabResetIncomplete, type LabResetTarget, resetLocalLab } from './lab-reset.js';

/** An execution (or another reset) acts on the lab: nothing was reset. */
export class LabBusy extends ApiError {
  override name = 'LabBusy';
  override readonly statusCode = 409;
}

/** The reset ran but the lab did not reach its clean state in time. */
export class LabResetFailed extends ApiError {
  override name = 'LabResetIncomplete';
  override readonly statusCode = 500;
}

/** Statuses in which an execution may still act on the lab (as the lab's own claim counts them). */
const ACTIVE_STATUSES = ['RUNNING', 'PENDING_REDRIVE'] as const;

/** Every execution that may act on the lab now. */
function activeExecutions(stepFunctions: LocalStepFunctions | undefined): { name: string; status: string }[] {
  if (!stepFunctions) return [];
  return ACTIVE_STATUSES.flatMap((statusFilter) =>
    (stepFunctions.listExecutions({ statusFilter }).executions ?? []).map(({ name = '?', status = '?' }) => ({
      name,
      status,
    })),
  );
}

/** `lab-1 (RUNNING), lab-2 (PENDING_REDRIVE)`. */
function listed(executions: { name: string; status: string }[]): string {
  return executions.map(({ name, status }) => `${name} (${status})`).join(', ');
}

/** Why the reset is refused, with the command that would end it. */
function busyMessage(executions: { name: string; status: string }[]): string {
  const [only] = executions;
  const who =
    executions.length === 1 && only
      ? `execution ${listed(executions)} is acting on the lab: stop it (scalelab stop ${only.name})`
      : `executions ${listed(executions)} are acting on the lab: stop them (scalelab stop NAME)`;
  return `${who} or wait for the end, then reset; nothing was reset`;
}

/**
 * The operations to give the endpoint (`startApiServer({ scalelabOperations })`): `ResetLab`,
 * which takes no members and answers what it changed (LabResetReport).
 */
export function labResetOperations(deps: {
  target: LabResetTarget;
  /** The engine whose executions act on the lab (none under `scalelab up`). */
  stepFunctions?: LocalStepFunctions;
}): Record<string, Operation> {
  let resetting = false;
  async function resetLab(body: Record<string, unknown>) {
    const members = Object.keys(body);
    if (members.length > 0)
      throw new ValidationException(
        `ResetLab takes no members, got ${members.map((member) => `'${member}'`).join(', ')}`,
      );
    if (resetting) throw new LabBusy('a reset of this lab is already running: nothing else was reset');
    const before = activeExecutions(deps.stepFunctions);
    if (before.length > 0) throw new LabBusy(busyMessage(before));
    resetting = true;
    try {
      const report = await resetLocalLab(deps.target);
      const during = activeExecutions(deps.stepFunctions);
      if (during.length > 0)
        throw new LabBusy(
          `${listed(during)} started while the reset ran, so the lab may not be clean: stop it, then reset again`,
        );
      return report;
    } catch (error) {
      if (error instanceof LabResetIncomplete) throw new LabResetFailed(error.message, { cause: error });
      throw error;
    } finally {
      resetting = false;
    }
  }
  return { ResetLab: resetLab };
}
