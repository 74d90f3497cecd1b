import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { OUTBOX_FILE_NAME } from '../lambdas/notify/delivery/outbox.js';
import { RUN_EXIT_CODES } from '../local-lab/run/honest-verdict.js';
import { defaultExecutionName, LabRun } from '../local-lab/run/lab-run.js';
import { runHistory, summarise, writeRunFolder } from '../local-lab/run/run-folder.js';
import { OPTIONS } from './commands/run.js';
import { labConfigFrom } from './config-options.js';
import { eventFaultsFrom } from './event-fault-options.js';
import { parseOptions } from './parse-options.js';
import { progressLine, verdictTable } from './run-view.js';
import { untilStopSignal } from './stop-signal.js';
import { UsageError } from './usage-error.js';

const PROGRESS_INTERVAL_MS = 500;

/** Shows progress: one rewritten line on a terminal, a line per phase change otherwise. */
function startProgress(run: LabRun, json: boolean): () => void {
  const tty = process.stderr.isTTY === true;
  let lastPhase = '';
  const timer = setInterval(() => {
    void run.progress().then((progress) => {
      if (tty) process.stderr.write(`\r${progressLine(progress)}\u001b[K`);
      else if (progress.phase !== lastPhase && !json) process.stderr.write(`${progressLine(progress)}\n`);
      lastPhase = progress.phase;
    });
  }, PROGRESS_INTERVAL_MS);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    if (tty) process.stderr.write('\n');
  };
}

/**
 * Creates the run's folder, refusing one that exists: it holds an earlier run's evidence, which a
 * new run must neither overwrite nor, on failure, delete.
 */
function createRunFolder(runsDir: string, name: string): string {
  const folder = join(runsDir, name);
  mkdirSync(runsDir, { recursive: true });
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new UsageError(
      `run folder ${folder} already exists (an earlier run's evidence); choose another --name`,
    );
  }
  return folder;
}

/**
 * `scalelab run` (= `npm start`): the whole lab as one Step Functions execution in the local
 * cloud, live progress, then a verdict table and a run folder. Exit 0 on PASS, 1 on FAIL or an
 * interruption, 3 when the run's lag makes the lab's verdict untrustworthy (INCONCLUSIVE).
 */
export async function runLabCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, OPTIONS);
  const config = labConfigFrom(values);
  const eventFaults = eventFaultsFrom(values);
  const name = values.name ?? defaultExecutionName();
  const runsDir = resolve(values['runs-dir']);
  const folder = createRunFolder(runsDir, name);
  const handlerLog = createWriteStream(join(folder, 'handler-log.jsonl'));
  const stop = untilStopSignal();
  const started = performance.now();
  let run: LabRun;
  try {
    run = await LabRun.start({
      config,
      stateDir: resolve(values['state-dir']),
      name,
      runFolder: folder,
      eventFaults,
      failScaleOutApps: values['fail-scale-out-apps'] === true,
      log: (line) => handlerLog.write(`${line}\n`),
      notifications: {
        outboxFile: join(folder, OUTBOX_FILE_NAME),
        webhookUrl: process.env.SLACK_WEBHOOK_URL || undefined,
        runsDir: values['runs-dir'],
      },
    });
  } catch (error) {
    // Nothing ran: leave no half-made run folder behind, once the log (opened asynchronously)
    // has let go of its file.
    await finished(handlerLog.end()).catch(() => undefined);
    stop.dispose();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  if (run.timeScaleCapped) process.stderr.write(`scalelab run: ${run.timeScaleCapped.reason}\n`);
  process.stderr.write(
    `scalelab run: execution ${run.name} (time ×${run.config.timeScale}); Ctrl-C stops it and tears down\n`,
  );
  const stopProgress = startProgress(run, values.json);
  try {
    const interrupted = await Promise.race([run.finished().then(() => undefined), stop.signal]);
    if (interrupted) run.stop(`interrupted by ${interrupted}`);
    const execution = await run.finished();
    stopProgress();
    const history = runHistory(run);
    const summary = summarise(run, execution, history, (performance.now() - started) / 1000);
    writeRunFolder(runsDir, run, execution, history, summary);
    process.stdout.write(`${verdictTable(summary)}\nrun folder: ${folder}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return interrupted ? RUN_EXIT_CODES.FAIL : RUN_EXIT_CODES[summary.verdict.verdict];
  } finally {
    stopProgress();
    await run.close();
    handlerLog.end();
    stop.dispose();
  }
}
