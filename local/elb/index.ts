/** The local Elastic Load Balancing (ELBv2) service: see {@link LocalElb}. */
export * from './constants.js';
export type {
  ListenerRef,
  LoadBalancerDescription,
  LoadBalancerRef,
  LocalElbOptions,
  TargetGroupDescription,
  TargetGroupRef,
} from './elb.js';
export { LocalElb } from './elb.js';
export { errorPage } from './error-pages.js';
export * from './errors.js';
export {
  ELB_METRIC_NAMESPACE,
  ELB_METRIC_SAMPLE_SECONDS,
  loadBalancerDimension,
  type MetricSink,
  targetGroupDimension,
} from './metrics.js';
export type * from './types.js';
export { parseMatcher } from './validate.js';
