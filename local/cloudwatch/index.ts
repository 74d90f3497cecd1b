/** The local CloudWatch: real CPU of instance process trees, a metric store and metric alarms. */
export * from './alarm.js';
export * from './cpu-sampler.js';
export * from './errors.js';
export * from './metric-store.js';
export {
  clockTicksPerSecond,
  readProcessTreeCpuSeconds,
  readProcessTreesCpu,
  type TreeCpuSeconds,
} from './proc-cpu.js';
export * from './target-tracking.js';
