/**
 * One lab, one execution at a time. The lab's resources are a single set per deployment (per
 * `serve` locally): two executions on them would each count the other's scaling as their own.
 * Validate claims the lab before anything is provisioned; tear-down releases it once nothing runs;
 * the status-change handler (on-execution-end) tears down and releases for an execution that ended
 * without its own tear-down (stopped, timed out).
 *
 * A claim left by an execution that is no longer running (its status-change event lost, its
 * handler failed) is taken over: status-change events are best effort (docs/aws-behaviour.md),
 * and a lab must not stay locked for want of one. Validate then finds the lab not at rest and the
 * new execution tears it down (at-rest.ts).
 */
import { LabBusy } from '../../lab/workflow-errors.js';
import type { Cloud, LabHolder } from '../cloud/cloud.js';

/** How a claim was obtained. */
export interface ClaimOutcome {
  /** The ended execution whose stale claim was taken over, if any. */
  tookOverFrom?: LabHolder;
}

/**
 * A takeover can lose a race with another execution taking over the same stale claim; each lost
 * race re-reads the holder, and a bounded number of them keeps the loop finite.
 */
const CLAIM_ATTEMPTS = 3;

function busy(holder: LabHolder): LabBusy {
  return new LabBusy(
    `the lab is in use by execution ${holder.executionName} (${holder.executionId}), running since ${new Date(holder.since).toISOString()}; one lab runs one execution at a time: wait for it to end, or stop it (its tear-down follows)`,
  );
}

/**
 * Claims the lab for `me`, taking over a claim whose execution has ended. Throws {@link LabBusy}
 * naming the holder while that execution is still running.
 */
export async function claimTheLab(cloud: Cloud, me: LabHolder): Promise<ClaimOutcome> {
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
    const claim = await cloud.claimLab(me);
    if (claim.claimed) return {};
    const status = await cloud.executionStatus(claim.holder.executionId);
    if (status === 'RUNNING') throw busy(claim.holder);
    if (await cloud.takeOverLab(claim.holder, me)) return { tookOverFrom: claim.holder };
  }
  const holder = await cloud.labHolder();
  throw holder ? busy(holder) : new LabBusy('the lab changed hands while claiming it; start again');
}
