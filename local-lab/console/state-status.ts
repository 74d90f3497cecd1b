/**
 * What each state of an execution has done, read from its history as the Step Functions console
 * colours its graph: not started, in progress, succeeded, failed, or caught (an error a Catch
 * rule took elsewhere). A state entered again (the health loop, a redrive) shows its latest turn.
 */
import type { StateStatus } from '../../console/model/graph-model.js';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';

const EXECUTION_ENDED_BADLY = new Set(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/** Each state the history mentions with its status; a state it does not mention has not started. */
export function stateStatuses(history: readonly LocalHistoryEvent[]): Record<string, StateStatus> {
  const statuses: Record<string, StateStatus> = {};
  // The state in progress when the execution ended badly is where it failed (or was stopped).
  let current: string | undefined;
  for (const event of history) {
    const caught = event.localEventDetails?.caught;
    if (caught) statuses[caught.state] = 'caught';
    const entered = event.stateEnteredEventDetails?.name;
    if (entered) {
      statuses[entered] = event.type === 'FailStateEntered' ? 'failed' : 'in-progress';
      current = entered;
    }
    const exited = event.stateExitedEventDetails?.name;
    if (exited) {
      statuses[exited] = 'succeeded';
      if (current === exited) current = undefined;
    }
    if (event.type === 'ExecutionSucceeded' && current && statuses[current] === 'in-progress')
      // A Succeed state has no exit event: the execution's success is its end.
      statuses[current] = 'succeeded';
    if (EXECUTION_ENDED_BADLY.has(event.type ?? '') && current && statuses[current] === 'in-progress')
      statuses[current] = 'failed';
  }
  return statuses;
}
