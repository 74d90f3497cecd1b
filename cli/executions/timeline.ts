/** Reads an execution's whole history through the SDK, for the timeline `show` and `--follow` print. */
import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { awsCall } from './errors.js';

export {
  type FailedStep,
  type Phase,
  type Timeline,
  timeline,
} from '../../local/stepfunctions/timeline.js';

/** Every event of an execution's history, oldest first, following nextToken. */
export async function fetchHistory(
  client: SFNClient,
  where: string,
  executionArn: string,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(where, () =>
      client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 })),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
