/** The local EC2: instances as real processes on their own loopback addresses. */
export * from './constants.js';
export { LocalEc2, type LocalEc2Options, type RunInstancesInput } from './ec2.js';
export * from './errors.js';
export type * from './instance.js';
export type { CreateLaunchTemplateInput, LaunchTemplate, LaunchTemplateRef } from './launch-templates.js';
export { INSTANCE_LEDGER_FILE, ProcessLedger } from './process-ledger.js';
