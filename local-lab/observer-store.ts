/**
 * Armed observers kept in memory: the local twin of the aws adapter's DynamoDB table, with the
 * same semantics (replacing says it re-armed; removing needs the token the caller holds).
 */
import type { ArmedObserver, ObserverRef } from '../lambdas/cloud/cloud.js';

/** A map of observers by id, with the three operations the Cloud port needs. */
export class ObserverStore extends Map<string, ArmedObserver> {
  /** Stores a copy, replacing an observer of the same id. */
  arm(observer: ArmedObserver): { rearmed: boolean } {
    const rearmed = this.has(observer.observerId);
    this.set(observer.observerId, { ...observer });
    return { rearmed };
  }

  /** Copies of every armed observer. */
  list(): ArmedObserver[] {
    return [...this.values()].map((observer) => ({ ...observer }));
  }

  /** Removes the observer only while it still holds `token`. */
  disarm({ observerId, token }: ObserverRef): void {
    if (this.get(observerId)?.token === token) this.delete(observerId);
  }
}
