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
  };
}

/**
 * CPU seconds of `pid`'s main thread to the nanosecond (/proc/<pid>/schedstat, first field), or
 * undefined where the kernel has no schedstat. /proc/<pid>/stat counts in clock ticks (10 ms): at
 * a high time scale the sampler reads every 100 real ms, where one tick is 10 points of a local
 * instance's capacity, and samples of a steady 80 % read 60, 70, 100 — noise that breaks the
 * 15-datapoint streak a scale-in needs. The main thread is where an app and a stress worker do
 * their work; helper threads (GC, libuv) are left out, a few tenths of a point.
 */
function mainThreadSeconds(pid: number): number | undefined {
  try {
    const nanoseconds = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(nanoseconds) ? nanoseconds / 1e9 : undefined;
  } catch {
    return undefined;
  }
}

/** A process's CPU seconds: its main thread to the ns where possible, plus the children it reaped. */
function processSeconds(stat: ProcStat, ticksPerSecond: number): number {
  const own = mainThreadSeconds(stat.pid);
  if (own === undefined) return stat.ticks / ticksPerSecond;
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

/**
 * CPU seconds used so far by `pid` and every process it started: its own time (its main thread's,
 * to the ns: {@link mainThreadSeconds}), the cutime+cstime of children it already reaped, and the
 * same of each live descendant (a live child's cutime holds the grandchildren it reaped).
 * @throws ProcessGoneError when `pid` does not exist.
 */
export async function readProcessTreeCpuSeconds(pid: number): Promise<number> {
  const [seconds] = await readProcessTreesCpuSeconds([pid]);
  if (seconds === undefined) throw new ProcessGoneError(`process ${pid} does not exist`);
  return seconds;
}

/**
 * Like {@link readProcessTreeCpuSeconds} for several roots at once, sharing one /proc listing;
 * a root that is gone yields `undefined` instead of throwing.
 */
export async function readProcessTreesCpuSeconds(pids: readonly number[]): Promise<(number | undefined)[]> {
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
  return pids.map(function treeSeconds(pid): number | undefined {
    const root = statOf(pid);
    if (!root) return undefined;
    const descendants = descendantsOf(pid, table);
    const stats = descendants.map(statOf);
    // A descendant that exited meanwhile is skipped; its time reappears in its parent's cutime.
    return stats.reduce(
      (sum, stat) => sum + (stat ? processSeconds(stat, ticksPerSecond) : 0),
      processSeconds(root, ticksPerSecond),
    );
  });
}
