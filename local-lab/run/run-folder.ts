import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { computeBudgets } from '../../lab/budgets.js';
import type { LabConfig } from '../../lab/config.js';
import { phaseOfState } from '../../lab/phase-plan.js';
import type { VerdictOutput } from '../../lambdas/verdict/core.js';
import type { VerdictTimelines } from '../../lambdas/verdict/timeline.js';
import type { DeliveryFaults, EventBridgeEvent, FaultRecord } from '../../local/eventbridge/index.js';
import type { LocalAws } from '../../local/local-aws.js';
import type { LocalHistoryEvent, LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { type Phase, timeline } from '../../local/stepfunctions/timeline.js';
import type { LocalLab } from '../resources.js';
import { chartInputOf, chartModelOf, scalingActivitiesOf } from './chart-data.js';
import { type CostEstimate, estimateCost } from './cost.js';
import { honestVerdict, type LabVerdict, type RunVerdict } from './honest-verdict.js';
import type { RunLag } from './lag.js';
import { observationsOf } from './observations.js';
import { renderReport } from './report-html.js';
import { type StressReading, stressReading } from './stress-reading.js';

/** The StopExecution error of a run stopped by Ctrl-C (or SIGTERM): no verdict, not a lab failure. */
export const INTERRUPTED_ERROR = 'scalelab.Interrupted';

/** What `summary.json` holds: the verdict and the evidence behind it. */
export interface LabSummary {
  execution: {
    name: string;
    arn: string;
    status: string;
    startDate?: string;
    stopDate?: string;
    error?: string;
    cause?: string;
  };
  /** The lab's verdict, or INCONCLUSIVE when the run's lag makes it untrustworthy (honest-verdict.ts). */
  verdict: RunVerdict;
  /** Each section-2 instance's life as the verdict step read it; absent when no verdict step ran. */
  timelines?: VerdictTimelines;
  /** How far real time fell behind the simulated schedule (lag.ts). */
  lag: RunLag;
  /** The stressed instance's readings against the model, and how busy the machine was (absent without a stress). */
  stress?: StressReading;
  /** The time scale the run used. */
  timeScale: number;
  /** The handlers' Cloud port: `local`, or `aws` (the Lambda adapter through the local endpoint). */
  adapter: 'local' | 'aws';
  /** Set when the time scale asked for was capped (faithful-time-scale.ts): what was asked and why. */
  timeScaleCapped?: { requested: number; reason: string };
  wallSeconds: number;
  phases: { phase: string; simulatedStart: string; simulatedSeconds: number; realSeconds: number }[];
  scalingActivities: {
    description?: string;
    cause?: string;
    status?: string;
    startTime?: string;
    endTime?: string;
  }[];
  requestsPerInstance: { web: Record<string, number>; scaling: Record<string, number> };
  seedCheck: unknown;
  budgets: ReturnType<typeof computeBudgets>;
  /** What the same run would cost on AWS. */
  cost?: CostEstimate;
  /** Which path completed each observe step: an Auto Scaling event, or a round's re-check. */
  observations: ReturnType<typeof observationsOf>;
  /** The fault injection's settings and what it did to which event; absent without faults. */
  eventFaults?: { settings: DeliveryFaults; records: readonly FaultRecord[] };
  /** What this summary could not measure, and why (e.g. a `serve` execution redriven). */
  notMeasured?: Record<string, string>;
}

/**
 * What a run folder is written from: one lab execution in a local cloud, watched from its start
 * (`scalelab run`'s LabRun, or a `scalelab serve` execution's ExecutionWatch).
 */
export interface RunEvidence {
  readonly name: string;
  readonly executionArn: string;
  readonly config: LabConfig;
  readonly cloud: LocalAws;
  readonly lab: Pick<LocalLab, 'web' | 'scaling' | 'webTargets' | 'scalingTargets'>;
  /** Every bus event from the execution's start, oldest first. */
  readonly events: readonly EventBridgeEvent[];
  /** Simulated epoch ms when the watch began (the execution's start). */
  readonly simulatedStart: number;
  /** The verdict the "Lab Verdict" event carried, if one came. */
  readonly verdict: VerdictOutput | undefined;
  readonly adapter: 'local' | 'aws';
  readonly timeScaleCapped?: { requested: number; reason: string } | undefined;
  readonly eventFaults?: DeliveryFaults | undefined;
  readonly lag: { report(): RunLag };
  readonly host: { busyPercent(fromMs: number, toMs: number): number | undefined };
  /** The performance.now() instant of a simulated epoch-ms instant of the execution. */
  realAt(simulatedMs: number): number;
  /** Each target's request count when the watch began: a shared cloud counts from its own start. */
  readonly requestBaseline?: Record<string, number>;
  readonly notMeasured?: Record<string, string>;
}

function writeJson(path: string, value: unknown): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path); // atomic: a reader never sees half a file
}

/** An execution's whole history, oldest first. */
export function executionHistory(
  stepFunctions: LocalStepFunctions,
  executionArn: string,
): LocalHistoryEvent[] {
  const events: LocalHistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = stepFunctions.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The run's whole execution history, oldest first. */
export function runHistory(
  run: Pick<RunEvidence, 'executionArn'> & { stepFunctions: LocalStepFunctions },
): LocalHistoryEvent[] {
  return executionHistory(run.stepFunctions, run.executionArn);
}

/** Choice, Pass and end states are not phases; the others read as their phase (lab/phase-plan.ts). */
const NOT_PHASES = new Set(['Choice', 'Pass', 'Succeed', 'Fail']);

/** Seconds from the phase's entry until the phase's exit, else the next phase's entry, else `end`. */
function secondsUntilLeft(phases: readonly Phase[], i: number, end: Date | undefined): number {
  const phase = phases[i];
  if (!phase) return 0;
  if (phase.seconds !== undefined) return phase.seconds;
  // A phase the execution never left (stopped, crashed, failed inside it) lasted until the next
  // one began or the history ends: counting it as 0 s would hide where the time went.
  const until = phases[i + 1]?.enteredAt ?? end;
  return until ? Math.max(0, (until.getTime() - phase.enteredAt.getTime()) / 1000) : 0;
}

/**
 * The lab's phases from the execution history, with simulated and real durations. A phase not
 * left lasts until the last event of `events` (the stop, for a run that was interrupted).
 */
export function phaseTimeline(events: readonly LocalHistoryEvent[]): LabSummary['phases'] {
  const simulated = timeline(events).phases;
  const real = timeline(events.map((event) => ({ ...event, timestamp: event.realTimestamp }))).phases;
  const simulatedEnd = events.at(-1)?.timestamp;
  const realEnd = events.at(-1)?.realTimestamp;
  const phases: LabSummary['phases'] = [];
  simulated.forEach((phase, i) => {
    if (NOT_PHASES.has(phase.type)) return;
    const name = phaseOfState(phase.name);
    const simulatedSeconds = secondsUntilLeft(simulated, i, simulatedEnd);
    const realSeconds = secondsUntilLeft(real, i, realEnd);
    const previous = phases.at(-1);
    if (previous?.phase === name) {
      previous.simulatedSeconds += simulatedSeconds;
      previous.realSeconds += realSeconds;
      return;
    }
    phases.push({
      phase: name,
      simulatedStart: phase.enteredAt.toISOString(),
      simulatedSeconds,
      realSeconds,
    });
  });
  return phases.map((p) => ({
    ...p,
    simulatedSeconds: Math.round(p.simulatedSeconds),
    realSeconds: Math.round(p.realSeconds * 10) / 10,
  }));
}

interface LabOutput {
  loadBalancing?: { seedCheck?: unknown };
  verdict?: VerdictOutput;
}

function outputOf(execution: DescribeExecutionOutput): LabOutput {
  try {
    return (JSON.parse(execution.output ?? 'null') as LabOutput | null) ?? {};
  } catch {
    return {};
  }
}

/** Why a run that ended before the Verdict step has none: interrupted, or how the execution ended. */
function noVerdict(
  execution: DescribeExecutionOutput,
  phases: readonly { phase: string; simulatedSeconds: number }[],
): LabVerdict {
  const last = phases.at(-1);
  if (execution.error === INTERRUPTED_ERROR) {
    const where = last ? ` during ${last.phase}, ${last.simulatedSeconds} s (simulated) into it` : '';
    return {
      verdict: 'FAIL',
      reason: `the run was ${execution.cause ?? 'interrupted'}${where}, before the lab could be judged`,
      expectations: [],
    };
  }
  const why = [execution.error, execution.cause].filter(Boolean).join(': ');
  return {
    verdict: 'FAIL',
    reason: `the execution ended ${execution.status ?? ''} before a verdict${why ? `: ${why}` : ''}`,
    expectations: [],
  };
}

/**
 * What the lab judged: the verdict in the execution's output (a pass), else the one `reported`
 * (the "Lab Verdict" event, or the Verdict step's output in the history), else why there is none.
 */
export function labVerdictOf(
  execution: DescribeExecutionOutput,
  phases: readonly { phase: string; simulatedSeconds: number }[],
  reported?: VerdictOutput,
): LabVerdict {
  return outputOf(execution).verdict ?? reported ?? noVerdict(execution, phases);
}

/** summary.json `execution`: DescribeExecution's fields a person reads, dates as ISO-8601. */
export function executionRecord(execution: DescribeExecutionOutput): LabSummary['execution'] {
  return {
    name: execution.name ?? '',
    arn: execution.executionArn ?? '',
    status: execution.status ?? 'UNKNOWN',
    startDate: execution.startDate?.toISOString(),
    stopDate: execution.stopDate?.toISOString(),
    ...(execution.error && { error: execution.error }),
    ...(execution.cause && { cause: execution.cause }),
  };
}

/** Builds the summary of a finished run from the execution and what the run observed. */
export function summarise(
  run: RunEvidence,
  execution: DescribeExecutionOutput,
  events: readonly LocalHistoryEvent[],
  wallSeconds: number,
): LabSummary {
  const output = outputOf(execution);
  const phases = phaseTimeline(events);
  // A passing execution outputs its verdict; a failing one ends in a Fail state, and its
  // verdict arrived as the "Lab Verdict" event.
  const labVerdict = labVerdictOf(execution, phases, run.verdict);
  const lag = run.lag.report();
  const stress = stressReading({
    config: run.config,
    history: events,
    samples: run.cloud.metrics.samples(),
    hostBusyPercent: (from, to) => run.host.busyPercent(run.realAt(from), run.realAt(to)),
  });
  return {
    execution: executionRecord({ ...execution, name: run.name, executionArn: run.executionArn }),
    verdict: honestVerdict(
      labVerdict,
      { lag, stress },
      // Stopped (Ctrl-C in `run`, `scalelab stop` or the console in `serve`): no verdict to doubt.
      {
        interrupted: execution.error === INTERRUPTED_ERROR || execution.status === 'ABORTED',
        endedWith: execution.error,
      },
    ),
    ...('timelines' in labVerdict && { timelines: labVerdict.timelines }),
    lag,
    ...(stress && { stress }),
    adapter: run.adapter,
    timeScale: run.config.timeScale,
    ...(run.timeScaleCapped && { timeScaleCapped: run.timeScaleCapped }),
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    phases,
    scalingActivities: scalingActivitiesOf(run),
    requestsPerInstance: {
      web: since(run.cloud.elb.getRequestCounts(run.lab.webTargets), run.requestBaseline),
      scaling: since(run.cloud.elb.getRequestCounts(run.lab.scalingTargets), run.requestBaseline),
    },
    seedCheck: output.loadBalancing?.seedCheck ?? null,
    budgets: computeBudgets(run.config),
    observations: observationsOf(events),
    ...(run.eventFaults && {
      eventFaults: { settings: run.eventFaults, records: run.cloud.bus.faultRecords() },
    }),
    cost: estimateCost({
      events: run.events,
      simulatedSeconds: (run.cloud.clock.now() - run.simulatedStart) / 1000,
      stateTransitions: events.filter(({ type }) => type?.endsWith('StateEntered')).length,
    }),
    ...(run.notMeasured && { notMeasured: run.notMeasured }),
  };
}

/** Request counts less those counted before the watch began; targets it did not serve left out. */
function since(counts: Record<string, number>, baseline?: Record<string, number>): Record<string, number> {
  if (!baseline) return counts;
  return Object.fromEntries(
    Object.entries(counts)
      .map(([id, n]): [string, number] => [id, n - (baseline[id] ?? 0)])
      .filter(([id, n]) => n > 0 || !(id in baseline)),
  );
}

/**
 * Writes the run folder `<runsDir>/<execution name>/`: the execution record, its history, the
 * metric samples, every bus event, summary.json, the charts' data (chart.json) and report.html.
 * Returns the folder.
 */
export async function writeRunFolder(
  runsDir: string,
  run: RunEvidence,
  execution: DescribeExecutionOutput,
  events: readonly LocalHistoryEvent[],
  summary: LabSummary,
): Promise<string> {
  const folder = join(runsDir, run.name);
  mkdirSync(folder, { recursive: true });
  // A shared cloud (`serve`) holds earlier executions' samples too.
  const samples = run.cloud.metrics.samples().filter(({ timestamp }) => timestamp >= run.simulatedStart);
  writeJson(join(folder, 'execution.json'), execution);
  writeJson(join(folder, 'history.json'), events);
  writeJson(join(folder, 'metrics.json'), samples);
  writeJson(join(folder, 'events.json'), run.events);
  const chart = chartModelOf(
    chartInputOf(run, summary.phases, { endMs: run.cloud.clock.now(), running: false }),
  );
  // The console draws an ended execution's charts from it (its live evidence is gone by then).
  writeJson(join(folder, 'chart.json'), chart);
  writeFileSync(join(folder, 'report.html'), await renderReport({ summary, chart }));
  // Last: readers (show, follow, the console) take summary.json as the sign the folder is complete.
  writeJson(join(folder, 'summary.json'), summary);
  return folder;
}
