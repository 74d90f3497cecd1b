/** The local EC2 Auto Scaling: groups of real instances, health replacement, target tracking. */
export { scaleInCapacity, scaleOutCapacity } from './capacity.js';
export * from './constants.js';
export * from './errors.js';
export * from './events.js';
export type * from './group.js';
export { LocalAutoScaling, type LocalAutoScalingDeps } from './service.js';
