/**
 * Instance moments kept in memory: the local twin of the aws adapter's items in the DynamoDB
 * table (lambdas/cloud/aws-instance-moments.ts), with the same rule: the first record of a
 * moment stays.
 */
import type { InstanceMoment, InstanceTimeline } from '../lambdas/cloud/cloud.js';

/** Moments by instance id. */
export class InstanceMomentStore extends Map<string, InstanceTimeline['moments']> {
  /** Records `moment` at `at` unless it was recorded already. */
  record(instanceId: string, moment: InstanceMoment, at: number): void {
    if (!instanceId) throw new Error(`recordInstanceMoment needs an instance id (moment ${moment})`);
    const moments = this.get(instanceId) ?? {};
    moments[moment] ??= at;
    this.set(instanceId, moments);
  }

  /** Copies of every instance's moments. */
  timelines(): InstanceTimeline[] {
    return [...this.entries()].map(([instanceId, moments]) => ({ instanceId, moments: { ...moments } }));
  }
}
