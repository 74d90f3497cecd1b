import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeExecutionOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import { computeBudgets } from '../../lambdas/shared/budgets.js';
import type { VerdictOutput } from '../../lambdas/verdict/core.js';
import { type CostEstimate, estimateCost } from './cost.js';
import type { LabRun } from './lab-run.js';
import { renderReport } from './report-html.js';

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
  verdict: VerdictOutput | { verdict: 'FAIL'; reason: string; expectations: [] };
  timeScale: number;
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
}

function writeJson(path: string, value: unknown): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path); // atomic: a reader never sees half a file
}

function history(run: LabRun): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = run.stepFunctions.getExecutionHistory({
      executionArn: run.executionArn,
      maxResults: 1000,
      nextToken,
    });
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

function phaseTimeline(run: LabRun, endRealMs: number, endSimulated: number): LabSummary['phases'] {
  // A polling step (check-health) announces itself on every poll; the timeline shows it once.
  const marks = run.phases.filter((mark, i) => mark.phase !== run.phases[i - 1]?.phase);
  return marks.map((mark, i) => {
    const next = marks[i + 1];
    const simulatedEnd = next ? Date.parse(next.simulatedAt) : endSimulated;
    return {
      phase: mark.phase,
      simulatedStart: mark.simulatedAt,
      simulatedSeconds: Math.round((simulatedEnd - Date.parse(mark.simulatedAt)) / 1000),
      realSeconds: Math.round(((next?.realMs ?? endRealMs) - mark.realMs) / 100) / 10,
    };
  });
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

/** Builds the summary of a finished run from the execution and what the run observed. */
export function summarise(run: LabRun, execution: DescribeExecutionOutput, wallSeconds: number): LabSummary {
  const activities = run.cloud.autoscaling.describeScalingActivities(
    run.config.section2.autoScalingGroupName,
  );
  const output = outputOf(execution);
  return {
    execution: {
      name: run.name,
      arn: run.executionArn,
      status: execution.status ?? 'UNKNOWN',
      startDate: execution.startDate?.toISOString(),
      stopDate: execution.stopDate?.toISOString(),
      ...(execution.error && { error: execution.error }),
      ...(execution.cause && { cause: execution.cause }),
    },
    // A passing execution outputs its verdict; a failing one ends in a Fail state, and its
    // verdict arrived as the "Lab Verdict" event.
    verdict: output.verdict ??
      run.verdict ?? {
        verdict: 'FAIL',
        reason:
          `the execution ended ${execution.status ?? ''} before a verdict: ${execution.error ?? ''} ${execution.cause ?? ''}`.trim(),
        expectations: [],
      },
    timeScale: run.config.timeScale,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    phases: phaseTimeline(run, wallSeconds * 1000, run.cloud.clock.now()),
    scalingActivities: [...activities].reverse().map((activity) => ({
      description: activity.Description,
      cause: activity.Cause,
      status: activity.StatusCode,
      startTime: activity.StartTime?.toISOString(),
      endTime: activity.EndTime?.toISOString(),
    })),
    requestsPerInstance: {
      web: run.cloud.elb.getRequestCounts(run.lab.webTargets),
      scaling: run.cloud.elb.getRequestCounts(run.lab.scalingTargets),
    },
    seedCheck: output.loadBalancing?.seedCheck ?? null,
    budgets: computeBudgets(run.config),
    cost: estimateCost({
      events: run.events,
      simulatedSeconds: (run.cloud.clock.now() - run.simulatedStart) / 1000,
      stateTransitions: history(run).filter(({ type }) => type?.endsWith('StateEntered')).length,
    }),
  };
}

/**
 * Writes the run folder `<runsDir>/<execution name>/`: the execution record, its history, the
 * metric samples, every bus event, summary.json and report.html. Returns the folder.
 */
export function writeRunFolder(
  runsDir: string,
  run: LabRun,
  execution: DescribeExecutionOutput,
  summary: LabSummary,
): string {
  const folder = join(runsDir, run.name);
  mkdirSync(folder, { recursive: true });
  writeJson(join(folder, 'execution.json'), execution);
  writeJson(join(folder, 'history.json'), history(run));
  writeJson(join(folder, 'metrics.json'), run.cloud.metrics.samples());
  writeJson(join(folder, 'events.json'), run.events);
  writeJson(join(folder, 'summary.json'), summary);
  const report = renderReport({
    summary,
    samples: run.cloud.metrics.samples(),
    events: run.events,
    startMs: run.simulatedStart,
    endMs: run.cloud.clock.now(),
    targetCpu: run.config.section2.targetCpuPercent,
  });
  writeFileSync(join(folder, 'report.html'), report);
  return folder;
}
