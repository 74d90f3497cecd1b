/**
 * On execution end: the target of the status-change rule. An execution stopped from the console or
 * `scalelab stop`, or timed out, ends at once: Step Functions runs no Catch, so the workflow's own
 * tear-down never runs and the instances would keep running (and billing on AWS). This handler
 * tears the lab down for any ended execution that still holds it, releases it, and announces what
 * it stopped. Events arrive at least once: a second delivery finds the lab released and does
 * nothing. A failed tear-down throws, and Lambda's retry of the asynchronous invocation runs it
 * again (twice, about one and three minutes later); locally the bus retries it.
 */
import { LAB_TORN_DOWN_EVENT_TYPE } from '../../lab/events.js';
import { LabBusy } from '../../lab/workflow-errors.js';
import { readRecord, readString } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';
import { run as tearDown } from '../tear-down/core.js';

export interface ExecutionEndInput {
  executionArn: string;
  executionName: string;
  status: string;
}

export type OnExecutionEndOutput =
  | { action: 'torn-down'; stopped: string[]; seconds: number }
  /** The execution does not hold the lab: its tear-down released it, or it never claimed it. */
  | { action: 'not-holder' };

/** Reads the status-change event's execution and status; InvalidHandlerInput names what is missing. */
export function parseExecutionEnd(event: unknown): ExecutionEndInput {
  const detail = readRecord(readRecord(event, 'event').detail, 'detail');
  return {
    executionArn: readString(detail, 'executionArn'),
    executionName: readString(detail, 'name'),
    status: readString(detail, 'status'),
  };
}

/** Tears down the lab of an ended execution that still holds it, then says what it stopped. */
export async function run(
  input: ExecutionEndInput,
  deps: Pick<StepDeps, 'cloud' | 'deployedConfig'>,
): Promise<OnExecutionEndOutput> {
  const { cloud } = deps;
  const holder = await cloud.labHolder();
  if (holder?.executionId !== input.executionArn) return { action: 'not-holder' };
  let torn: { stopped: string[]; seconds: number };
  try {
    torn = await tearDown(
      { executionId: input.executionArn, executionName: input.executionName, config: undefined },
      deps,
    );
  } catch (error) {
    // The lab changed hands since the look above (taken over): it is not this execution's now.
    if (error instanceof LabBusy) return { action: 'not-holder' };
    throw error;
  }
  const { stopped, seconds } = torn;
  await cloud.putEvents([
    {
      detailType: LAB_TORN_DOWN_EVENT_TYPE,
      detail: {
        executionArn: input.executionArn,
        executionName: input.executionName,
        status: input.status,
        stopped,
        seconds,
      },
    },
  ]);
  return { action: 'torn-down', stopped, seconds };
}

/** The status-change target; it announces no phase (it is no workflow step). */
export const onExecutionEndStep = defineStep({
  step: 'on-execution-end',
  parse: parseExecutionEnd,
  run,
  announcesPhase: false,
});
