/**
 * The lab's claim kept in memory: the local twin of the aws adapter's guard item
 * (lambdas/cloud/aws-lab-guard.ts), with the same conditional semantics.
 */
import type { LabClaim, LabHolder } from '../lambdas/cloud/cloud.js';

/** One holder at most; every change is conditional on who holds it. */
export class LabGuardStore {
  private holder: LabHolder | undefined;

  /** Claims for `holder` when free or already held by its execution. */
  claim(holder: LabHolder): LabClaim {
    if (this.holder && this.holder.executionId !== holder.executionId) {
      return { claimed: false, holder: { ...this.holder } };
    }
    this.holder ??= { ...holder };
    return { claimed: true };
  }

  /** Replaces `stale` by `holder` only while `stale` holds the lab. */
  takeOver(stale: LabHolder, holder: LabHolder): boolean {
    if (this.holder?.executionId !== stale.executionId) return false;
    this.holder = { ...holder };
    return true;
  }

  current(): LabHolder | undefined {
    return this.holder && { ...this.holder };
  }

  /** Forgets any holder, whoever it is: only for a reset, while no execution runs. */
  clear(): void {
    this.holder = undefined;
  }

  /** Releases only while `executionId` holds the lab. */
  release(executionId: string): boolean {
    if (this.holder?.executionId !== executionId) return false;
    this.holder = undefined;
    return true;
  }
}
