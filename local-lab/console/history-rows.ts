/** The event history as the console's table shows it: one row per event, with the state it belongs to. */
import type { HistoryRow } from '../../console/model/console-api.js';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';

/** The error and cause of a failure event, whatever its type. */
function failureOf(event: LocalHistoryEvent): { error?: string; cause?: string } {
  const details =
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.executionAbortedEventDetails;
  return details ? { error: details.error, cause: details.cause } : {};
}

/** Rows for `history` (oldest first); only the rows after event `afterId` when given. */
export function historyRows(history: readonly LocalHistoryEvent[], afterId = 0): HistoryRow[] {
  const start = history[0]?.timestamp?.getTime() ?? 0;
  const rows: HistoryRow[] = [];
  // Task events name no state: they belong to the state entered last.
  let state: string | undefined;
  for (const event of history) {
    const entered = event.stateEnteredEventDetails;
    const exited = event.stateExitedEventDetails;
    if (entered?.name) state = entered.name;
    const belongsTo = exited?.name ?? (event.type?.startsWith('Execution') ? undefined : state);
    if ((event.id ?? 0) > afterId) {
      const { error, cause } = failureOf(event);
      rows.push({
        id: event.id ?? 0,
        type: event.type ?? '',
        ...(belongsTo && { state: belongsTo }),
        simulatedTime: (event.timestamp ?? new Date(0)).toISOString(),
        realTime: event.realTimestamp.toISOString(),
        elapsedSeconds: ((event.timestamp?.getTime() ?? start) - start) / 1000,
        ...((entered?.input ?? event.executionStartedEventDetails?.input) !== undefined && {
          input: entered?.input ?? event.executionStartedEventDetails?.input,
        }),
        ...((exited?.output ?? event.executionSucceededEventDetails?.output) !== undefined && {
          output: exited?.output ?? event.executionSucceededEventDetails?.output,
        }),
        ...(error !== undefined && { error }),
        ...(cause !== undefined && { cause }),
      });
    }
    if (exited?.name === state) state = undefined;
  }
  return rows;
}
