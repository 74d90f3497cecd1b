import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../errors.js';
import { readHeldMs } from './held-clock.js';
import type { StressRequest } from './stress-request.js';

/** At most this many stress processes run on one instance, whatever the number of POSTs. */
export const MAX_STRESS_PROCESSES = 4;

/** How long stopAll() waits after SIGTERM before it SIGKILLs a worker. */
const STOP_GRACE_MS = 2_000;

/**
 * The title a worker takes once it burns CPU. A Node.js process takes 100–200 ms to start, real time
 * that `stress` on EC2 does not take: the stress is "started" when its workers burn, not when
 * they were spawned, so the request is answered then.
 */
export const BURNING_LINE = 'scalelab-stress-burning';

/** How long start() waits for its workers to burn before it answers anyway (real ms). */
const WORKER_START_TIMEOUT_MS = 10_000;

/** A running stress as the API reports it. */
export interface StressJob {
  id: string;
  pids: number[];
  workers: number;
  load: number;
  /** Requested length in the app's seconds (simulated when the app runs with a time scale). */
  seconds: number;
  startedAt: string;
  /** Real wall-clock time at which every worker of this job exits by itself. */
  endsAt: string;
}

export interface StressManagerOptions {
  maxProcesses?: number;
  /** App seconds per real second: a 600 s stress at scale 60 burns CPU for 10 real seconds. */
  timeScale?: number;
  /**
   * How much of a host core one vCPU of this instance is (1 on EC2; less in the local cloud, see
   * LOCAL_VCPU_CORE_SHARE): a worker asked for `load` % of a vCPU burns load × share of a core.
   */
  cpuShare?: number;
  /**
   * Workers inherit the app's stdin and exit when it closes. In the local cloud the app's stdin is
   * a pipe from scalelab, so a worker dies with scalelab even when its app died first (SIGKILLed
   * or stopped and then orphaned): nobody would be left to stop it before its deadline. A worker
   * still outlives a crashed app while scalelab runs, as it would on EC2. Off on EC2 (no pipe).
   */
  exitOnStdinClose?: boolean;
  /**
   * The local cloud's held-clock file (held-clock.ts): workers end on their simulated moment even
   * when the local cloud's clock stood still meanwhile. None on EC2.
   */
  heldClockFile?: string | undefined;
  workerPath?: string;
}

interface RunningJob {
  job: StressJob;
  children: Set<ChildProcess>;
}

/** The worker's flag to exit when its (inherited) stdin closes. */
export const EXIT_ON_STDIN_CLOSE = '--exit-on-stdin-close';
/** The worker's flag naming the held-clock file its deadline follows. */
export const HELD_CLOCK_FLAG = '--held-clock';

const DEFAULT_WORKER = fileURLToPath(new URL('./stress-worker.js', import.meta.url));

/** Starts bounded CPU stress in separate processes and keeps count of them. */
export class StressManager {
  private readonly jobs = new Map<string, RunningJob>();
  private readonly maxProcesses: number;
  private readonly timeScale: number;
  private readonly cpuShare: number;
  private readonly workerPath: string;
  private readonly exitOnStdinClose: boolean;
  private readonly heldClockFile: string | undefined;

  constructor(options: StressManagerOptions = {}) {
    this.maxProcesses = options.maxProcesses ?? MAX_STRESS_PROCESSES;
    this.timeScale = options.timeScale ?? 1;
    this.cpuShare = options.cpuShare ?? 1;
    this.workerPath = options.workerPath ?? DEFAULT_WORKER;
    this.exitOnStdinClose = options.exitOnStdinClose ?? false;
    this.heldClockFile = options.heldClockFile;
  }

  /** Running jobs, oldest first. */
  list(): StressJob[] {
    return [...this.jobs.values()].map(({ job }) => ({ ...job, pids: [...job.pids] }));
  }

  runningProcesses(): number {
    let count = 0;
    for (const { children } of this.jobs.values()) count += children.size;
    return count;
  }

  /**
   * Starts a stress and resolves once its workers burn CPU, or throws a 429 {@link HttpError}
   * (with Retry-After) when it would exceed the cap.
   */
  async start(request: StressRequest): Promise<StressJob> {
    const running = this.runningProcesses();
    if (running + request.workers > this.maxProcesses) throw this.overCap(running, request.workers);
    const startedAt = Date.now();
    const deadline = startedAt + (request.seconds * 1000) / this.timeScale;
    const job: StressJob = {
      id: randomUUID(),
      pids: [],
      workers: request.workers,
      load: request.load,
      seconds: request.seconds,
      startedAt: new Date(startedAt).toISOString(),
      endsAt: new Date(deadline).toISOString(),
    };
    const entry: RunningJob = { job, children: new Set() };
    this.jobs.set(job.id, entry);
    // The deadline follows what the local cloud holds from now on (held-clock.ts).
    const heldAtStart = this.heldClockFile === undefined ? 0 : (readHeldMs(this.heldClockFile) ?? 0);
    const burning: Promise<void>[] = [];
    for (let i = 0; i < request.workers; i++) {
      burning.push(this.spawnWorker(entry, deadline, heldAtStart, request.load * this.cpuShare));
    }
    await Promise.all(burning);
    return { ...job, pids: [...job.pids] };
  }

  /** SIGTERMs every worker and resolves once all have exited (SIGKILL after a short grace). */
  async stopAll(): Promise<void> {
    const children = [...this.jobs.values()].flatMap(({ children }) => [...children]);
    await Promise.all(children.map(stopChild));
  }

  /** Spawns one worker; resolves once it burns, exits, or cannot start in time. */
  private spawnWorker(entry: RunningJob, deadline: number, heldAtStart: number, load: number): Promise<void> {
    const args = [this.workerPath, String(deadline), String(load)];
    // The app's pid is its process group's id when it was started as the group's leader (the local
    // cloud); its parent is the local cloud, which the worker checks when the pipe closes: the pipe
    // also closes when only the app died.
    if (this.exitOnStdinClose) args.push(EXIT_ON_STDIN_CLOSE, String(process.pid), String(process.ppid));
    if (this.heldClockFile !== undefined) args.push(HELD_CLOCK_FLAG, this.heldClockFile, String(heldAtStart));
    const child = spawn(process.execPath, args, {
      stdio: [this.exitOnStdinClose ? 'inherit' : 'ignore', 'ignore', 'ignore'],
    });
    // Workers keep the default priority: at a lower one, any busy neighbour on the machine starves
    // them below the load asked for, and the policy under test never sees it.
    if (child.pid !== undefined) entry.job.pids.push(child.pid);
    entry.children.add(child);
    const forget = (): void => {
      entry.children.delete(child);
      if (entry.children.size === 0) this.jobs.delete(entry.job.id);
    };
    child.once('exit', forget);
    child.once('error', forget);
    return untilBurning(child);
  }

  private overCap(running: number, requested: number): HttpError {
    const soonest = Math.min(...[...this.jobs.values()].map(({ job }) => Date.parse(job.endsAt)));
    const retryAfter = Math.max(1, Math.ceil((soonest - Date.now()) / 1000));
    return new HttpError(
      429,
      'TooManyStressProcesses',
      `${running} of ${this.maxProcesses} stress processes are running; ${requested} more would exceed the cap`,
      { 'Retry-After': String(retryAfter) },
      { running: this.list(), maxProcesses: this.maxProcesses },
    );
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** How often the app looks whether a worker burns yet, in real ms. */
const BURNING_POLL_MS = 5;

/** Whether the worker `pid` has taken its burning title (false while unknown: no /proc). */
function saysBurning(pid: number): boolean | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(BURNING_LINE);
  } catch {
    return undefined;
  }
}

/**
 * Resolves once `child` shows {@link BURNING_LINE} as its title (/proc/<pid>/cmdline), exits or
 * fails to spawn, or after WORKER_START_TIMEOUT_MS; a worker that does not say it burns is no
 * reason to fail the request (it ends at its deadline all the same). Its title, not a pipe or an
 * IPC channel: a worker must share nothing with its app that could end it when the app dies (it
 * outlives a crashed app, as on EC2). Without /proc it resolves at once.
 */
function untilBurning(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    const look = (): void => {
      const pid = child.pid;
      const burning = pid === undefined ? undefined : saysBurning(pid);
      const gaveUp = performance.now() - started > WORKER_START_TIMEOUT_MS;
      if (burning !== false || child.exitCode !== null || gaveUp) resolve();
      else setTimeout(look, BURNING_POLL_MS);
    };
    look();
  });
}
