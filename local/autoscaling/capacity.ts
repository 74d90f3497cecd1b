import { TARGET_TRACKING_MIN_CAPACITY } from './constants.js';

export interface CapacityInput {
  /** Instances whose CPU fed the metric: in service and past their warm-up. */
  measuredCapacity: number;
  /** The alarm's latest datapoint, e.g. average CPU %. */
  metric: number;
  target: number;
  desired: number;
  min: number;
  max: number;
}

/**
 * Target tracking's scale-out: capacity in proportion to how far the metric is above target,
 * rounded up ("adding 1.5 instances … we add two"), clamped to max. Warming instances already count
 * in `desired`, so a scale-out only happens when the proportional capacity exceeds it.
 */
export function scaleOutCapacity({ measuredCapacity, metric, target, desired, max }: CapacityInput): number {
  const proportional = Math.ceil((measuredCapacity * metric) / target);
  return Math.min(max, Math.max(desired, proportional));
}

/**
 * Target tracking's scale-in: remove the capacity the metric says is idle, rounded down
 * ("removing 1.5 … we remove one"), i.e. keep ceil(capacity × metric / target); never below min
 * nor below {@link TARGET_TRACKING_MIN_CAPACITY}.
 */
export function scaleInCapacity({ measuredCapacity, metric, target, desired, min }: CapacityInput): number {
  const keep = Math.ceil((measuredCapacity * metric) / target);
  return Math.min(desired, Math.max(min, TARGET_TRACKING_MIN_CAPACITY, keep));
}
