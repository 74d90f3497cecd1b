/** Section 1 did not behave as a round-robin load balancer in front of two seed apps. */
export class LoadBalancingNotVerified extends Error {
  override name = 'LoadBalancingNotVerified';
}
