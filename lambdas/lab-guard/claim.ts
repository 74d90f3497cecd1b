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
import type { Cloud, ExecutionInfo, LabHolder } from '../cloud/cloud.js';

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

/**
 * Seconds after its end during which an ended holder's claim still stands, beyond tear-down's own
 * bound: the status-change event reaches on-execution-end within seconds, and Lambda retries a
 * failed asynchronous invocation after about a minute. Before that, a takeover could provision
 * while the ended execution's tear-down is still stopping things.
 */
export const END_EVENT_MARGIN_SECONDS = 60;

/** Statuses in which an execution may still act on the lab (a redrive about to resume counts). */
const ACTIVE = new Set(['RUNNING', 'PENDING_REDRIVE']);

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function busy(holder: LabHolder): LabBusy {
  return new LabBusy(
    `the lab is in use by execution ${holder.executionName} (${holder.executionId}), running since ${iso(holder.since)}; one lab runs one execution at a time: wait for it to end, or stop it (its tear-down follows)`,
  );
}

function tearingDown(holder: LabHolder, info: ExecutionInfo, freeAt: number): LabBusy {
  return new LabBusy(
    `the lab is still held by execution ${holder.executionName} (${holder.executionId}), which ended ${info.status} at ${iso(info.stopDate ?? 0)}: its tear-down may still be running; the lab is free once it ends, at the latest from ${iso(freeAt)}`,
  );
}

/**
 * Claims the lab for `me`. A holder still running (or about to be redriven) keeps it: LabBusy,
 * naming it. One that ended keeps it until its tear-down has had time to finish
 * (`tearDownSeconds` plus {@link END_EVENT_MARGIN_SECONDS}); after that the claim is stale, its
 * release lost, and `me` takes it over.
 */
export async function claimTheLab(
  cloud: Cloud,
  me: LabHolder,
  tearDownSeconds: number,
): Promise<ClaimOutcome> {
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
    const claim = await cloud.claimLab(me);
    if (claim.claimed) return {};
    const info = await cloud.executionStatus(claim.holder.executionId);
    if (ACTIVE.has(info.status)) throw busy(claim.holder);
    const freeAt = (info.stopDate ?? 0) + (tearDownSeconds + END_EVENT_MARGIN_SECONDS) * 1000;
    if (cloud.now() < freeAt) throw tearingDown(claim.holder, info, freeAt);
    if (await cloud.takeOverLab(claim.holder, me)) return { tookOverFrom: claim.holder };
  }
  const holder = await cloud.labHolder();
  throw holder ? busy(holder) : new LabBusy('the lab changed hands while claiming it; start again');
}
