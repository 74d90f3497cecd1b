/**
 * CPU time of a process and everything it started, read from Linux /proc. An instance's CPU is
 * its whole tree: the serve app forks a stress worker, and that worker's time must count.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { CpuAccountingUnavailableError, ProcessGoneError } from './errors.js';

/** USER_HZ on every mainstream Linux architecture, used if `getconf` is missing. */
export const DEFAULT_CLOCK_TICKS = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks: own time plus reaped children's. */
  ticks: number;
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
  };
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
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
async function supportsChildrenFiles(): Promise<boolean> {
  if (childrenFilesSupported === undefined) {
    try {
      await readFile(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
      childrenFilesSupported = true;
    } catch {
      childrenFilesSupported = false;
    }
  }
  return childrenFilesSupported;
}

async function childrenFromTaskFiles(pid: number): Promise<number[]> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`);
    const lists = await Promise.all(
      tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')),
    );
    return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

interface ProcessTable {
  stats: Map<number, ProcStat>;
  children: Map<number, number[]>;
}

/** One consistent snapshot of every process, for kernels without children files. */
async function scanProcesses(): Promise<ProcessTable> {
  const entries = await readdir('/proc');
  const all = await Promise.all(
    entries.filter((name) => /^\d+$/.test(name)).map((name) => readStat(Number(name))),
  );
  const table: ProcessTable = { stats: new Map(), children: new Map() };
  for (const stat of all) {
    if (!stat) continue;
    table.stats.set(stat.pid, stat);
    const siblings = table.children.get(stat.ppid) ?? [];
    siblings.push(stat.pid);
    table.children.set(stat.ppid, siblings);
  }
  return table;
}

/** Lists the live descendants of `pid` (children, grandchildren…). */
async function descendantsOf(pid: number, table?: ProcessTable): Promise<number[]> {
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = table
      ? frontier.flatMap((p) => table.children.get(p) ?? [])
      : (await Promise.all(frontier.map(childrenFromTaskFiles))).flat();
    found.push(...next);
    frontier = next;
  }
  return found;
}

/**
 * CPU seconds used so far by `pid` and every process it started: its own utime+stime, the
 * cutime+cstime of children it already reaped, and the same four counters of each live
 * descendant (a live child's cutime holds the grandchildren it reaped).
 * @throws ProcessGoneError when `pid` does not exist.
 */
export async function readProcessTreeCpuSeconds(pid: number): Promise<number> {
  const [seconds] = await readProcessTreesCpuSeconds([pid]);
  if (seconds === undefined) throw new ProcessGoneError(`process ${pid} does not exist`);
  return seconds;
}

/**
 * Like {@link readProcessTreeCpuSeconds} for several roots at once, sharing one /proc scan;
 * a root that is gone yields `undefined` instead of throwing.
 */
export async function readProcessTreesCpuSeconds(pids: readonly number[]): Promise<(number | undefined)[]> {
  if (process.platform !== 'linux') {
    throw new CpuAccountingUnavailableError(`CPU accounting reads Linux /proc; this is ${process.platform}`);
  }
  const ticksPerSecond = await clockTicksPerSecond();
  const table = (await supportsChildrenFiles()) ? undefined : await scanProcesses();
  const statOf = (pid: number) => (table ? Promise.resolve(table.stats.get(pid)) : readStat(pid));
  return Promise.all(
    pids.map(async function treeSeconds(pid): Promise<number | undefined> {
      const root = await statOf(pid);
      if (!root) return undefined;
      const descendants = await descendantsOf(pid, table);
      const stats = await Promise.all(descendants.map(statOf));
      // A descendant that exited meanwhile is skipped; its time reappears in its parent's cutime.
      const ticks = stats.reduce((sum, stat) => sum + (stat?.ticks ?? 0), root.ticks);
      return ticks / ticksPerSecond;
    }),
  );
}
