/**
 * What the console's GETs answer: the state machines with their graphs, the executions list, and
 * one execution's view. Reads only; nothing here starts or changes anything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import type { ChartModel } from '../../console/model/chart-model.js';
import type {
  ExecutionSummary,
  ExecutionView,
  ScalingActivityRow,
  StateMachineInfo,
  VerdictTable,
} from '../../console/model/console-api.js';
import type { GraphLayout } from '../../console/model/graph-model.js';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';
import { chartInputOf, chartModelOf } from '../run/chart-data.js';
import { LAB_STATE_MACHINE_NAME } from '../run/lab-setup.js';
import { executionHistory, phaseTimeline } from '../run/run-folder.js';
import { evidenceOf, runFolderSummary } from '../run/verdict-view.js';
import type { ConsoleContext } from './context.js';
import { graphOf } from './graph-layout.js';
import { historyRows } from './history-rows.js';
import { stateStatuses } from './state-status.js';

const REDRIVABLE = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** The lab's state machine, by the name in an ARN (`…:stateMachine:<name>` or `…:execution:<name>:…`). */
export function isLabArn(arn: string | undefined): boolean {
  const parts = (arn ?? '').split(':');
  const name = parts[5] === 'execution' ? parts[6] : parts.at(-1);
  return name === LAB_STATE_MACHINE_NAME;
}

/** Graphs by definition: a definition does not change under an ARN without a new text. */
const graphs = new Map<string, GraphLayout>();

function graphFor(definition: string): GraphLayout {
  let graph = graphs.get(definition);
  if (!graph) {
    graph = graphOf(definition);
    graphs.set(definition, graph);
  }
  return graph;
}

export function stateMachines(context: ConsoleContext): StateMachineInfo[] {
  const { stepFunctions, config } = context;
  return (stepFunctions.listStateMachines({ maxResults: 1000 }).stateMachines ?? []).map((machine) => {
    const arn = machine.stateMachineArn ?? '';
    const { definition = '{}' } = stepFunctions.describeStateMachine({ stateMachineArn: arn });
    const isLab = isLabArn(arn);
    return {
      name: machine.name ?? '',
      stateMachineArn: arn,
      isLab,
      graph: graphFor(definition),
      defaultInput: JSON.stringify(isLab ? { config } : {}, null, 2),
    };
  });
}

/** The verdict an ended execution's output or run folder holds (cheap: no history read). */
function listedVerdict(context: ConsoleContext, execution: DescribeExecutionOutput): string | undefined {
  if (execution.status === 'RUNNING') return undefined;
  if (context.runsDir) {
    const folder = runFolderSummary(context.runsDir, execution);
    if (folder) return folder.summary.verdict.verdict;
  }
  try {
    const verdict = (JSON.parse(execution.output ?? 'null') as { verdict?: { verdict?: unknown } } | null)
      ?.verdict?.verdict;
    return typeof verdict === 'string' ? verdict : undefined;
  } catch {
    return undefined;
  }
}

function summaryOf(context: ConsoleContext, execution: DescribeExecutionOutput): ExecutionSummary {
  const start = execution.startDate ?? new Date(0);
  const end = execution.stopDate?.getTime() ?? context.cloud.clock.now();
  const verdict = isLabArn(execution.stateMachineArn) ? listedVerdict(context, execution) : undefined;
  return {
    name: execution.name ?? '',
    executionArn: execution.executionArn ?? '',
    stateMachine: (execution.stateMachineArn ?? '').split(':').at(-1) ?? '',
    status: execution.status ?? '',
    startDate: start.toISOString(),
    ...(execution.stopDate && { stopDate: execution.stopDate.toISOString() }),
    durationSeconds: Math.max(0, (end - start.getTime()) / 1000),
    ...(verdict && { verdict }),
    redriveCount: execution.redriveCount ?? 0,
  };
}

/** Every execution of every state machine, newest first (as `scalelab list` orders them). */
export function executionsList(context: ConsoleContext): ExecutionSummary[] {
  const { stepFunctions } = context;
  const items = stepFunctions.listExecutions({ maxResults: 1000 }).executions ?? [];
  return items.map((item) =>
    summaryOf(context, stepFunctions.describeExecution({ executionArn: item.executionArn })),
  );
}

function verdictTable(
  context: ConsoleContext,
  execution: DescribeExecutionOutput,
  history: readonly LocalHistoryEvent[],
): VerdictTable {
  const { view, runFolder } = evidenceOf(execution, history, {
    runsDir: context.runsDir,
    realDates: false,
  });
  const { verdict } = view;
  return {
    verdict: verdict.verdict,
    ...('reason' in verdict && verdict.reason && { reason: verdict.reason }),
    ...('labVerdict' in verdict && { labVerdict: verdict.labVerdict }),
    expectations: verdict.expectations.map(({ name, held, measured, budget }) => ({
      name,
      held,
      measured,
      budget,
    })),
    source: runFolder ? 'run folder' : 'history',
    ...(runFolder && { runFolder }),
  };
}

/** The lab's scaling activities during the execution, newest first, with AWS's cause text. */
function scalingActivities(
  context: ConsoleContext,
  execution: DescribeExecutionOutput,
): ScalingActivityRow[] {
  const folder = context.runsDir ? runFolderSummary(context.runsDir, execution) : undefined;
  if (folder) return folder.summary.scalingActivities;
  const { cloud, config } = context;
  const from = execution.startDate?.getTime() ?? 0;
  const to = execution.stopDate?.getTime() ?? Number.POSITIVE_INFINITY;
  let activities: ReturnType<typeof cloud.autoscaling.describeScalingActivities>;
  try {
    activities = cloud.autoscaling.describeScalingActivities(config.section2.autoScalingGroupName);
  } catch {
    return []; // no lab group in this cloud (the demo state machine)
  }
  return activities
    .filter(({ StartTime }) => StartTime && StartTime.getTime() >= from && StartTime.getTime() <= to)
    .reverse()
    .map((activity) => ({
      description: activity.Description,
      cause: activity.Cause,
      status: activity.StatusCode,
      startTime: activity.StartTime?.toISOString(),
      endTime: activity.EndTime?.toISOString(),
    }));
}

/**
 * The charts of a lab execution: from its live evidence while this process holds it (the run's
 * own, or a serve execution until its run folder is written), else from its run folder.
 */
function chartOf(
  context: ConsoleContext,
  execution: DescribeExecutionOutput,
  history: readonly LocalHistoryEvent[],
): ChartModel | undefined {
  const executionArn = execution.executionArn ?? '';
  const evidence = context.liveEvidence?.(executionArn);
  if (evidence) {
    const running = execution.status === 'RUNNING';
    const endMs = running
      ? context.cloud.clock.now()
      : (execution.stopDate?.getTime() ?? context.cloud.clock.now());
    return chartModelOf(chartInputOf(evidence, phaseTimeline(history), { endMs, running }));
  }
  const folder = context.runsDir ? runFolderSummary(context.runsDir, execution) : undefined;
  if (!folder) return undefined;
  try {
    return JSON.parse(readFileSync(join(folder.folder, 'chart.json'), 'utf8')) as ChartModel;
  } catch {
    return undefined; // a folder written before chart.json was
  }
}

/**
 * One execution as its page shows it; `historyAfter` (an event id) leaves out the rows the page
 * already has, so a refresh of a long history stays small.
 */
export function executionView(
  context: ConsoleContext,
  executionArn: string,
  historyAfter = 0,
): ExecutionView {
  const { stepFunctions } = context;
  const execution = stepFunctions.describeExecution({ executionArn });
  const history = executionHistory(stepFunctions, executionArn);
  const isLab = isLabArn(execution.stateMachineArn);
  const running = execution.status === 'RUNNING';
  const chart = isLab ? chartOf(context, execution, history) : undefined;
  return {
    execution: {
      ...summaryOf(context, execution),
      input: execution.input ?? '{}',
      ...(execution.output !== undefined && { output: execution.output }),
      ...(execution.error && { error: execution.error }),
      ...(execution.cause && { cause: execution.cause }),
    },
    states: stateStatuses(history),
    history: historyRows(history, historyAfter),
    ...(isLab && !running && { verdict: verdictTable(context, execution, history) }),
    scalingActivities: isLab ? scalingActivities(context, execution) : [],
    ...(chart && { chart }),
    can: { stop: running, redrive: REDRIVABLE.has(execution.status ?? ''), replay: true },
  };
}
