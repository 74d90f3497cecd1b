/**
 * CPU time of a process and everything it started, read from Linux /proc. An instance's CPU is
 * its whole tree: the serve app forks a stress worker, and that worker's time must count.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { CpuAccountingUnavailableError, ProcessGoneError } from './errors.js';

/** USER_HZ on every mainstream Linux architecture, used if `getconf` is missing. */
export const DEFAULT_CLOCK_TICKS = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks: own time plus reaped children's. */
  ticks: number;
  /** cutime + cstime, in clock ticks: the children it reaped. */
  reapedTicks: number;
  /** Exited, not yet reaped: its threads are gone, its totals wait for its parent's cutime. */
  zombie: boolean;
}

let clockTicks: Promise<number> | undefined;

/** Clock ticks per second (`getconf CLK_TCK`), read once per process. */
export function clockTicksPerSecond(): Promise<number> {
  clockTicks ??= new Promise((resolve) => {
    execFile('getconf', ['CLK_TCK'], (error, stdout) => {
      const ticks = Number(stdout.trim());
      resolve(!error && Number.isInteger(ticks) && ticks > 0 ? ticks : DEFAULT_CLOCK_TICKS);
    });
  });
  return clockTicks;
}

/** Parses /proc/<pid>/stat; the command name may contain spaces and parentheses, so split after the last ")". */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5); utime is field 14, so fields[11].
  const number = (index: number): number => Number(fields[index]);
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: number(1),
    ticks: number(11) + number(12) + number(13) + number(14),
    reapedTicks: number(13) + number(14),
    zombie: fields[0] === 'Z',
  };
}

/**
 * CPU seconds of `pid`'s main thread to the nanosecond (/proc/<pid>/schedstat, first field), or
 * undefined where the kernel has no schedstat. /proc/<pid>/stat counts in clock ticks (10 ms): at
 * a high time scale the sampler reads every 40 real ms, where one tick is 25 points of a local
 * instance's capacity, and samples of a steady 80 % read 50, 75, 100 — noise that breaks the
 * 15-datapoint streak a scale-in needs. The main thread is where an app does its work; its helper
 * threads (GC, libuv) are left out, and its own CPU is charged per simulated second anyway
 * (APP_CPU_PER_SIMULATED_SECOND). Descendants count all their threads: {@link allThreadsSeconds}.
 */
function mainThreadSeconds(pid: number): number | undefined {
  try {
    const nanoseconds = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(nanoseconds) ? nanoseconds / 1e9 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of all of `pid`'s threads to the ns (each /proc/<pid>/task/<tid>/schedstat), or
 * undefined where the kernel has no schedstat. About 10× the cost of the main thread alone, so it
 * is read for descendants only: a stress worker's helper threads (GC, libuv) burn ~1 % of its
 * load, and when the worker exits that time lands in its parent's cutime all at once: ~55 ms
 * inside a 40–100 ms sample at a high time scale, a sample 50 points or more too high at the stress end.
 */
function allThreadsSeconds(pid: number): number | undefined {
  try {
    const threads = readdirSync(`/proc/${pid}/task`);
    const nanoseconds = threads.reduce(
      (sum, tid) => sum + Number(readOrEmpty(`/proc/${pid}/task/${tid}/schedstat`).split(' ')[0] || 0),
      0,
    );
    return Number.isFinite(nanoseconds) && nanoseconds > 0 ? nanoseconds / 1e9 : undefined;
  } catch {
    return undefined;
  }
}

/** A process's own CPU seconds: its main thread to the ns where possible, else its utime + stime. */
function ownSeconds(stat: ProcStat, ticksPerSecond: number): number {
  return mainThreadSeconds(stat.pid) ?? (stat.ticks - stat.reapedTicks) / ticksPerSecond;
}

/**
 * A descendant's CPU seconds: all its threads', plus the children it reaped. A zombie's threads
 * are gone from /proc/<pid>/task, so it counts by its utime + stime (its whole thread group's),
 * the very ticks its parent's cutime takes over when it reaps it: the total stays continuous.
 */
function descendantProcessSeconds(stat: ProcStat, ticksPerSecond: number): number {
  const threads = stat.zombie ? undefined : allThreadsSeconds(stat.pid);
  const own = threads ?? (stat.ticks - stat.reapedTicks) / ticksPerSecond;
  return own + stat.reapedTicks / ticksPerSecond;
}

/**
 * Reads are synchronous on purpose: /proc files are generated in memory, and fs/promises'
 * per-file thread-pool round trips cost about 30× more CPU, which would pollute the metric.
 */
function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ESRCH'
    ) {
      return undefined;
    }
    throw error;
  }
}

let childrenFilesSupported: boolean | undefined;

/** /proc/<pid>/task/<tid>/children needs CONFIG_PROC_CHILDREN; some kernels and sandboxes lack it. */
function supportsChildrenFiles(): boolean {
  if (childrenFilesSupported === undefined) {
    try {
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
      childrenFilesSupported = true;
    } catch {
      childrenFilesSupported = false;
    }
  }
  return childrenFilesSupported;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function childrenFromTaskFiles(pid: number): number[] {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    const lists = tasks.map((tid) => readOrEmpty(`/proc/${pid}/task/${tid}/children`));
    return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

interface ProcessTable {
  children: Map<number, number[]>;
}

/**
 * Parent of every process seen so far. A process's parent only changes when it is orphaned, and
 * members of a measured tree are re-read at every sample (which refreshes their entry), so only
 * new pids need reading: a full /proc scan per sample costs several ms on small sandboxes.
 */
const knownParents = new Map<number, number>();

/** Every process's children, for kernels without children files. */
function scanProcesses(): ProcessTable {
  const live = new Set(
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number),
  );
  for (const pid of knownParents.keys()) if (!live.has(pid)) knownParents.delete(pid);
  for (const pid of live) {
    if (knownParents.has(pid)) continue;
    const stat = readStat(pid);
    if (stat) knownParents.set(pid, stat.ppid);
  }
  const table: ProcessTable = { children: new Map() };
  for (const [pid, ppid] of knownParents) {
    const siblings = table.children.get(ppid) ?? [];
    siblings.push(pid);
    table.children.set(ppid, siblings);
  }
  return table;
}

/** Lists the live descendants of `pid` (children, grandchildren…). */
function descendantsOf(pid: number, table?: ProcessTable): number[] {
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = table
      ? frontier.flatMap((p) => table.children.get(p) ?? [])
      : frontier.flatMap(childrenFromTaskFiles);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** CPU seconds of a process tree, split between its root process and everything the root started. */
export interface TreeCpuSeconds {
  /** The root process's own time ({@link mainThreadSeconds}). */
  rootSeconds: number;
  /** The children the root reaped, plus each live descendant's own and reaped time. */
  descendantSeconds: number;
}

/**
 * CPU seconds used so far by `pid` and every process it started: its own time (its main thread's,
 * to the ns: {@link mainThreadSeconds}), the cutime+cstime of children it already reaped, and each
 * live descendant's (all its threads', plus its cutime: the grandchildren it reaped).
 * @throws ProcessGoneError when `pid` does not exist.
 */
export async function readProcessTreeCpuSeconds(pid: number): Promise<number> {
  const [tree] = await readProcessTreesCpu([pid]);
  if (tree === undefined) throw new ProcessGoneError(`process ${pid} does not exist`);
  return tree.rootSeconds + tree.descendantSeconds;
}

/**
 * Like {@link readProcessTreeCpuSeconds} for several roots at once, sharing one /proc listing,
 * with the root's own time apart; a root that is gone yields `undefined` instead of throwing.
 */
export async function readProcessTreesCpu(pids: readonly number[]): Promise<(TreeCpuSeconds | undefined)[]> {
  if (process.platform !== 'linux') {
    throw new CpuAccountingUnavailableError(`CPU accounting reads Linux /proc; this is ${process.platform}`);
  }
  const ticksPerSecond = await clockTicksPerSecond();
  const table = supportsChildrenFiles() ? undefined : scanProcesses();
  const statOf = (pid: number): ProcStat | undefined => {
    const stat = readStat(pid);
    if (stat && table) knownParents.set(pid, stat.ppid);
    return stat;
  };
  return pids.map(function treeSeconds(pid): TreeCpuSeconds | undefined {
    const root = statOf(pid);
    if (!root) return undefined;
    const stats = descendantsOf(pid, table).map(statOf);
    // A descendant that exited meanwhile is skipped; its time reappears in its parent's cutime.
    const descendantSeconds = stats.reduce(
      (sum, stat) => sum + (stat ? descendantProcessSeconds(stat, ticksPerSecond) : 0),
      root.reapedTicks / ticksPerSecond,
    );
    return { rootSeconds: ownSeconds(root, ticksPerSecond), descendantSeconds };
  });
}
