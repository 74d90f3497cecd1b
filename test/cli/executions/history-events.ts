/** Execution histories built by hand, as GetExecutionHistory returns them, for the view tests. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** A history from [type, second, details] rows, ids in order, as GetExecutionHistory returns it. */
export function history(rows: [string, number, Partial<HistoryEvent>?][]): HistoryEvent[] {
  return rows.map(([type, second, details], index) => ({
    id: index + 1,
    previousEventId: index,
    type: type as HistoryEvent['type'],
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
    ...details,
  }));
}

export const entered = (name: string) => ({ stateEnteredEventDetails: { name } });
export const exited = (name: string, output?: string) => ({ stateExitedEventDetails: { name, output } });
