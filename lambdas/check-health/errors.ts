/**
 * The lab never became healthy within `timeouts.healthySeconds`. No handler throws it: the
 * workflow's health-wait loop raises it (a Pass state writing `$.error`) when its counter runs
 * out; it is defined here so the name has one home that tests check the ASL against.
 */
export class HealthCheckTimeout extends Error {
  override name = 'HealthCheckTimeout';
}
