/**
 * The run folder of a `scalelab run` that was killed (SIGKILL, a crash, the machine going down)
 * never gets its summary: the process is gone before it could write one. The next local Step
 * Functions on the same state folder marks that execution ABORTED; this module then writes what
 * is known into its run folder. To find the folder, each run notes it in the state folder.
 */
import { appendFileSync, existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { INSTANCE_LEDGER_FILE, ProcessLedger } from '../../local/ec2/index.js';
import type { LocalHistoryEvent, LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { executionHistory, executionRecord, type LabSummary, phaseTimeline } from './run-folder.js';

/** Lines of `{ executionArn, folder }`, one per run started on this state folder. */
const RUN_FOLDERS_FILE = 'run-folders.jsonl';

/** What summary.json holds for a run whose process ended before it could write its own. */
export interface OrphanedRunSummary {
  execution: LabSummary['execution'];
  verdict: { verdict: 'FAIL'; reason: string; expectations: [] };
  interrupted: {
    /** What is known of the end: the process running the lab ended without a word. */
    by: string;
    /** The phase the execution was in when its last event was recorded. */
    phase?: string;
    /** The last event the killed process recorded; it ended some time after. */
    lastRecordedEvent?: { type?: string; simulated?: string; real?: string };
    /** When the next start found the execution RUNNING and marked it ABORTED. */
    markedAbortedAt?: string;
  };
  /** Up to the last recorded event; the open phase lasted at least that long. */
  phases: LabSummary['phases'];
}

/** Notes that `executionArn` writes its evidence to `folder`, for when its process is killed. */
export function rememberRunFolder(stateDir: string, executionArn: string, folder: string): void {
  appendFileSync(join(stateDir, RUN_FOLDERS_FILE), `${JSON.stringify({ executionArn, folder })}\n`);
}

function runFolders(stateDir: string): Map<string, string> {
  const folders = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(join(stateDir, RUN_FOLDERS_FILE), 'utf8');
  } catch {
    return folders;
  }
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { executionArn?: unknown; folder?: unknown };
      if (typeof entry.executionArn === 'string' && typeof entry.folder === 'string')
        folders.set(entry.executionArn, entry.folder);
    } catch {
      // a line torn by a kill mid-append, or the empty last line: nothing to learn from it
    }
  }
  return folders;
}

/**
 * Creates `file` with `value` unless it exists, atomically: a hard link to a complete temporary
 * file fails with EEXIST rather than replace what the run wrote. Returns whether it wrote.
 */
function writeJsonIfAbsent(file: string, value: unknown): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The summary of an orphan, from its record and its history (the last event is the abort). */
export function orphanedRunSummary(
  execution: DescribeExecutionOutput,
  events: readonly LocalHistoryEvent[],
): OrphanedRunSummary {
  const abort = events.at(-1)?.type === 'ExecutionAborted' ? events.at(-1) : undefined;
  // The abort is stamped by the later process: the killed one's time ended at its last event.
  const recorded = abort ? events.slice(0, -1) : events;
  const phases = phaseTimeline(recorded);
  const last = recorded.at(-1);
  const phase = phases.at(-1)?.phase;
  const by =
    'the process running the lab ended (SIGKILL, a crash or a shutdown) before the execution finished';
  return {
    execution: executionRecord(execution),
    verdict: {
      verdict: 'FAIL',
      reason: `no verdict: ${by}${phase ? `, during ${phase}` : ''}; the next start marked it ${execution.status ?? 'ABORTED'}`,
      expectations: [],
    },
    interrupted: {
      by,
      ...(phase && { phase }),
      ...(last && {
        lastRecordedEvent: {
          type: last.type,
          simulated: last.timestamp?.toISOString(),
          real: last.realTimestamp.toISOString(),
        },
      }),
      ...(abort && { markedAbortedAt: abort.realTimestamp.toISOString() }),
    },
    phases,
  };
}

/** Writes the files a killed run never wrote into its folder; returns the names written. */
function fillRunFolder(
  stepFunctions: LocalStepFunctions,
  execution: DescribeExecutionOutput,
  folder: string,
): string[] {
  const events = executionHistory(stepFunctions, execution.executionArn ?? '');
  const files: [string, unknown][] = [
    ['summary.json', orphanedRunSummary(execution, events)],
    ['execution.json', execution],
    ['history.json', events],
  ];
  return files.filter(([name, value]) => writeJsonIfAbsent(join(folder, name), value)).map(([name]) => name);
}

/** Where a start says what it found of a killed run: one `scalelab:` line on stderr. */
function warnOnStderr(message: string): void {
  process.stderr.write(`scalelab: ${message}\n`);
}

/**
 * For each execution the service found orphaned (RUNNING, its process gone) and marked ABORTED:
 * if a `scalelab run` noted a run folder for it and that folder still exists, writes
 * summary.json, execution.json and history.json there, each only where the run wrote none.
 * Returns the folders written to; `warn` is told of each.
 */
export function fillOrphanedRunFolders(
  stepFunctions: LocalStepFunctions,
  stateDir: string,
  warn: (message: string) => void = warnOnStderr,
): string[] {
  const orphans = stepFunctions.abortedOrphans();
  if (orphans.length === 0) return [];
  const folders = runFolders(stateDir);
  const filled: string[] = [];
  for (const execution of orphans) {
    const folder = folders.get(execution.executionArn ?? '');
    if (!folder || !existsSync(folder)) continue;
    let written: string[];
    try {
      written = fillRunFolder(stepFunctions, execution, folder);
    } catch (error) {
      // The evidence is a courtesy to the killed run: failing to write it must not stop this start.
      warn(
        `run ${execution.name ?? ''} ended with its process; its run folder ${folder} could not be filled in: ${(error as Error).message}`,
      );
      continue;
    }
    if (written.length === 0) continue;
    filled.push(folder);
    warn(
      `run ${execution.name ?? ''} ended with its process (killed or crashed); its execution is now ABORTED and ${written.join(', ')} written to ${folder}`,
    );
  }
  return filled;
}

/** Where the clock's held time is shared with the instances of `stateDir` (LocalEc2.shareHeldTime). */
export const HELD_CLOCK_FILE = 'held-clock';

/**
 * Takes charge of the instances a previous owner of `stateDir` left behind and of the files this
 * process's instances read: ends leftover instance processes, then shares the clock's held time.
 * Call it only while holding the lock.
 */
export function takeChargeOfInstances(
  cloud: { ec2: { shareHeldTime(file: string): void } },
  ledger: ProcessLedger,
  stateDir: string,
): void {
  reapLeftoverInstances(ledger, stateDir);
  cloud.ec2.shareHeldTime(join(stateDir, HELD_CLOCK_FILE));
}

/** The ledger of the instance processes started on `stateDir` (local/ec2/process-ledger.ts). */
export function instanceLedger(stateDir: string): ProcessLedger {
  return new ProcessLedger(join(stateDir, INSTANCE_LEDGER_FILE));
}

/**
 * Ends the instance processes the previous owner of this state directory left behind (one stopped
 * when it was killed cannot end itself), saying how many. Call it only while holding the lock.
 */
export function reapLeftoverInstances(
  ledger: ProcessLedger,
  stateDir: string,
  warn: (message: string) => void = warnOnStderr,
): number[] {
  const reaped = ledger.reapLeftovers();
  if (reaped.length > 0) {
    warn(
      `ended ${reaped.length} instance process group(s) a killed run left behind in ${stateDir} (pids ${reaped.join(', ')})`,
    );
  }
  return reaped;
}
