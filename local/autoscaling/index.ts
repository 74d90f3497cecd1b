/**
 * The local EC2 Auto Scaling: groups of real instances, health replacement, target tracking,
 * lifecycle hooks.
 */
export { scaleInCapacity, scaleOutCapacity } from './capacity.js';
export * from './constants.js';
export * from './errors.js';
export * from './events.js';
export type * from './group.js';
export type { ActionEnd, ActionRef, LifecycleAction, LifecycleOutcome } from './lifecycle-actions.js';
export * from './lifecycle-events.js';
export { globalTimeoutSeconds, type HookSettings, type PutLifecycleHookInput } from './lifecycle-hooks.js';
export { type LifecycleActionInput, LocalAutoScaling, type LocalAutoScalingDeps } from './service.js';
