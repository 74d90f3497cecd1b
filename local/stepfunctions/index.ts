/** The local Step Functions service: see service.ts. */

export { assertValidName, executionArn, replayName, stateMachineArn } from './arn.js';
export { type AslRuleViolation, checkAslRules, validateDefinition } from './asl-rules.js';
export * from './errors.js';
export type { EventBridgeEnvelope, ExecutionStatusChangeDetail } from './events.js';
export type { LocalEventDetails, LocalHistoryEvent } from './history.js';
export {
  type CreateLocalStateMachineInput,
  type HistoryListener,
  type LocalGetExecutionHistoryOutput,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from './service.js';
export { StateDirInUse } from './state-dir-lock.js';
export type { ExecutionRecord, StateMachineRecord } from './store.js';
export type { TaskHandler } from './tasks.js';
