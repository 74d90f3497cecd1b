import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { labPhasePlan } from '../lab/phase-plan.js';
import { OUTBOX_FILE_NAME } from '../lambdas/notify/delivery/outbox.js';
import { type ConsoleServer, startConsoleServer } from '../local-lab/console/console-server.js';
import { RUN_EXIT_CODES } from '../local-lab/run/honest-verdict.js';
import { defaultExecutionName, LabRun } from '../local-lab/run/lab-run.js';
import type { HandlerAdapter } from '../local-lab/run/lab-setup.js';
import { runHistory, summarise, writeRunFolder } from '../local-lab/run/run-folder.js';
import { OPTIONS } from './commands/run.js';
import { labConfigFrom } from './config-options.js';
import { eventFaultsFrom } from './event-fault-options.js';
import { intOption, parseOptions } from './parse-options.js';
import { wantsColor } from './progress/palette.js';
import { ProgressView } from './progress/progress-view.js';
import { verdictTable } from './run-view.js';
import { untilStopSignal } from './stop-signal.js';
import { UsageError } from './usage-error.js';

/** How often the view looks at the run, in real ms: a live status at 4 Hz, a log at 2 Hz. */
const PROGRESS_INTERVAL_MS = { live: 250, log: 500 } as const;

/**
 * Shows the run's progress on stderr (stdout carries the verdict, or `--json` alone): a live
 * status on a terminal, lasting lines for phases and events everywhere (progress/progress-view.ts).
 * The returned function shows what is left and stops; it may be called more than once.
 */
function startProgress(run: LabRun): () => Promise<void> {
  const live = process.stderr.isTTY === true;
  const view = new ProgressView({
    out: process.stderr,
    live,
    color: wantsColor(process.stderr),
    plan: labPhasePlan(run.config),
    timeScale: run.config.timeScale,
    simulatedStart: run.simulatedStart,
  });
  let looking: Promise<void> = Promise.resolve();
  const look = (): Promise<void> => {
    // A failed look is skipped, never left to reject the chain: the next look tries again.
    looking = looking.then(async () => view.update(await run.progress(), run.events)).catch(() => undefined);
    return looking;
  };
  const timer = setInterval(() => void look(), live ? PROGRESS_INTERVAL_MS.live : PROGRESS_INTERVAL_MS.log);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      clearInterval(timer);
      // The last look prints what happened since the previous one (the verdict phase, scale-in).
      await look().catch(() => undefined);
      view.finish();
    })();
    return stopping;
  };
}

/**
 * The web console on a loopback port while the run lasts, over the run's own Step Functions: the
 * run's execution, live, with its charts. A console that cannot start is said and not fatal.
 */
async function startRunConsole(
  run: LabRun,
  port: number,
  runsDir: string,
): Promise<ConsoleServer | undefined> {
  try {
    const server = await startConsoleServer(
      {
        stepFunctions: run.stepFunctions,
        cloud: run.cloud,
        config: run.config,
        runsDir,
        liveEvidence: (executionArn) => (executionArn === run.executionArn ? run : undefined),
      },
      { port },
    );
    process.stderr.write(`scalelab run: console ${server.url} (while the run lasts)\n`);
    return server;
  } catch (error) {
    process.stderr.write(`scalelab run: no console: ${(error as Error).message}\n`);
    return undefined;
  }
}

/** `--adapter`: local or aws, or a usage error naming what was given. */
function adapterFrom(value: string | undefined): HandlerAdapter {
  if (value === 'local' || value === 'aws') return value;
  throw new UsageError(`--adapter must be local or aws, got '${value}'`);
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
 * cloud, live progress, then a verdict table and a run folder. Exit 0 on PASS, 1 on FAIL, 3 when
 * the run's lag makes the lab's verdict untrustworthy (INCONCLUSIVE), 130 when interrupted (143
 * for SIGTERM), as a shell reports a job those signals ended.
 */
export async function runLabCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, OPTIONS);
  const config = labConfigFrom(values);
  const eventFaults = eventFaultsFrom(values);
  const adapter = adapterFrom(values.adapter);
  const consolePort = intOption('console-port', values['console-port'], 0, 0, 65535);
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
      adapter,
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
    `scalelab run: execution ${run.name} (time ×${run.config.timeScale}${adapter === 'aws' ? ', handlers through the aws adapter and the local AWS endpoint' : ''}); Ctrl-C stops it and tears down\n`,
  );
  const consoleServer = await startRunConsole(run, consolePort, runsDir);
  const stopProgress = startProgress(run);
  try {
    const interrupted = await Promise.race([run.finished().then(() => undefined), stop.signal]);
    if (interrupted) run.stop(`interrupted by ${interrupted}`);
    const execution = await run.finished();
    await stopProgress();
    const history = runHistory(run);
    const summary = summarise(run, execution, history, (performance.now() - started) / 1000);
    await writeRunFolder(runsDir, run, execution, history, summary);
    // With --json, stdout is the one JSON document and the verdict for people goes to stderr.
    const human = values.json ? process.stderr : process.stdout;
    human.write(`${verdictTable(summary, { color: wantsColor(human) })}\nrun folder: ${folder}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (interrupted)
      return interrupted === 'SIGTERM' ? RUN_EXIT_CODES.TERMINATED : RUN_EXIT_CODES.INTERRUPTED;
    return RUN_EXIT_CODES[summary.verdict.verdict];
  } finally {
    await stopProgress();
    await consoleServer?.close();
    await run.close();
    handlerLog.end();
    stop.dispose();
  }
}
