/**
 * The verdict `show`, `follow` and the console show for a lab execution: its run folder's summary.json when
 * there is one for this very attempt, else what the execution's output and history tell.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeExecutionOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import type { VerdictOutput } from '../../lambdas/verdict/core.js';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';
import { observationsOf } from './observations.js';
import { executionRecord, type LabSummary, labVerdictOf, phaseTimeline } from './run-folder.js';

/**
 * What the verdict is shown from: a run folder's summary.json, or (an execution without one) what
 * its output and history tell, without the run's measurements.
 */
export type VerdictView = Pick<
  LabSummary,
  'execution' | 'verdict' | 'timelines' | 'observations' | 'eventFaults' | 'timeScaleCapped' | 'notMeasured'
> &
  Partial<Pick<LabSummary, 'lag' | 'wallSeconds' | 'timeScale'>> & {
    /** `realSeconds` absent when the history's dates are simulated (the local endpoint). */
    phases: (Omit<LabSummary['phases'][number], 'realSeconds'> & { realSeconds?: number })[];
  };

/** The evidence of one execution: the summary to print, and its run folder when it has one. */
export interface ExecutionEvidence {
  view: VerdictView;
  runFolder?: string;
}

/**
 * `<runsDir>/<name>/summary.json` when it is this execution's and of its latest attempt (same
 * ARN, same end: a redriven execution's folder is rewritten when the redrive ends).
 */
export function runFolderSummary(
  runsDir: string,
  execution: DescribeExecutionOutput,
): { summary: LabSummary; folder: string } | undefined {
  const folder = join(runsDir, execution.name ?? '');
  let summary: LabSummary;
  try {
    summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as LabSummary;
  } catch {
    return undefined; // no folder, or one being written: the history tells the rest
  }
  if (summary.execution?.arn !== execution.executionArn) return undefined;
  if (summary.execution.stopDate !== execution.stopDate?.toISOString()) return undefined;
  return { summary, folder };
}

function isVerdict(value: unknown): value is VerdictOutput {
  const v = value as Partial<VerdictOutput> | null;
  return typeof v?.verdict === 'string' && Array.isArray(v.expectations);
}

/** The Verdict step's output in the history (a failing lab ends in a Fail state after it). */
function verdictInHistory(events: readonly HistoryEvent[]): VerdictOutput | undefined {
  for (const event of [...events].reverse()) {
    const output = event.taskSucceededEventDetails?.output ?? event.stateExitedEventDetails?.output;
    if (output === undefined) continue;
    try {
      const value = JSON.parse(output) as { verdict?: unknown } | null;
      if (isVerdict(value)) return value;
      if (isVerdict(value?.verdict)) return value.verdict;
    } catch {
      // an output that is no JSON object holds no verdict
    }
  }
  return undefined;
}

/**
 * The verdict from the execution's output and history alone: no lag, host CPU or real time
 * (only a run folder has them). `realDates`: the history's dates are real (AWS), not simulated.
 */
export function verdictViewFromHistory(
  execution: DescribeExecutionOutput,
  events: readonly HistoryEvent[],
  { realDates }: { realDates: boolean },
): VerdictView {
  // On AWS the history's dates are real ones; locally they are simulated and no real ones are sent.
  const dated = events.map((event) => ({ ...event, realTimestamp: event.timestamp ?? new Date(0) }));
  const history = dated as LocalHistoryEvent[];
  const phases = phaseTimeline(history).map(({ realSeconds, ...phase }) =>
    realDates ? { ...phase, realSeconds } : phase,
  );
  const verdict = labVerdictOf(execution, phases, verdictInHistory(events));
  return {
    execution: executionRecord(execution),
    verdict,
    ...('timelines' in verdict && { timelines: verdict.timelines }),
    observations: observationsOf(history),
    phases,
    notMeasured: {
      lag: `no run folder for this execution${realDates ? '' : ' (the local endpoint sends simulated dates only)'}`,
    },
  };
}

/** The evidence of an execution: its run folder's summary when there is one, else its history's. */
export function evidenceOf(
  execution: DescribeExecutionOutput,
  events: readonly HistoryEvent[],
  /** Without `runsDir` (a demo serve writes no run folders) the view comes from the history. */
  options: { runsDir: string | undefined; realDates: boolean },
): ExecutionEvidence {
  const folder = options.runsDir === undefined ? undefined : runFolderSummary(options.runsDir, execution);
  if (folder) return { view: folder.summary, runFolder: folder.folder };
  return { view: verdictViewFromHistory(execution, events, options) };
}
