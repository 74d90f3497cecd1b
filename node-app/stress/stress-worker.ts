/**
 * One CPU stress worker: a separate process that burns `load` % of one core until an absolute
 * deadline. The deadline lives here, not in the server, so the worker ends on time even if the
 * server that started it is SIGKILLed. Usage: node stress-worker.js <deadlineEpochMs> <loadPercent>
 * [--exit-on-stdin-close <app pid> <local cloud pid>] [--held-clock <file> <held ms at the start>]:
 * with the first flag it also exits when its stdin (the app's, inherited) closes and the local
 * cloud is gone, taking the app's process group with it; with the second its deadline moves by the time the local cloud's clock is held
 * (held-clock.ts).
 *
 * The duty cycle is steered by the CPU time the OS has charged to this process, not by wall time:
 * on a busy machine a wall-clock duty cycle gets descheduled and under-delivers, while this one
 * spins longer to catch up, so the measured utilisation is the requested one whenever a core is free.
 * It catches up within a window of CATCH_UP_WINDOW_MS only: a worker starved for a while must not
 * repay the deficit later at 100 %, which would read far above `load` for a whole minute (and, in
 * the lab, push two instances over the target into a third).
 */
import { readFileSync } from 'node:fs';
import { HeldDeadline } from './held-clock.js';

/**
 * One burn-then-idle cycle. Short, so that any window CPU is read over holds many cycles: the
 * local cloud samples every 40 real ms at high time scales, and 100 ms cycles read anywhere
 * from 50 % to 100 % there, depending on where the window fell.
 */
const SLICE_MS = 10;
/** BURNING_LINE in stress-manager.ts. */
const BURNING_LINE = 'scalelab-stress-burning';
const CATCH_UP_WINDOW_MS = 2_000;

const realDeadline = Number(process.argv[2]);
const load = Number(process.argv[3]);
if (!Number.isFinite(realDeadline) || !(load > 0 && load <= 100)) {
  process.stderr.write('usage: stress-worker <deadlineEpochMs> <loadPercent 1..100>\n');
  process.exit(2);
}

/** The `n`th value after `flag` in the arguments, if the flag is there. */
function flagValue(flag: string, n = 1): string | undefined {
  const at = process.argv.indexOf(flag, 4);
  return at === -1 ? undefined : process.argv[at + n];
}

// HELD_CLOCK_FLAG in stress-manager.ts
const deadline = new HeldDeadline(
  realDeadline,
  flagValue('--held-clock'),
  Number(flagValue('--held-clock', 2) ?? 0),
);

/**
 * The pipe from the local cloud closed: it is gone. The instance goes with it, and a worker that
 * saw the close takes its whole process group (its app's, passed as `group`) along: the app may be
 * stopped (SIGSTOP) and so unable to see the close itself, and nothing else is left to end it.
 */
function endWithLocalCloud(group: number): never {
  // Only this worker's own group, led by its app: were the app not a group leader, its dead PID
  // could since name someone else's group.
  if (Number.isInteger(group) && group > 1 && ownProcessGroup() === group) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(0);
}

/** This process's group id (`/proc/self/stat` field 5); undefined where /proc is not there. */
function ownProcessGroup(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** How often a worker whose app died looks whether the local cloud is still there, in real ms. */
const LOCAL_CLOUD_POLL_MS = 1_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The pipe closed. Node closes an exited child's stdin, so the local cloud closes it when the app
 * dies too: while the local cloud (`localCloud`, the app's parent) lives, the app crashed and the
 * worker runs on, as on EC2, until the local cloud goes or the deadline comes.
 */
function onPipeClosed(group: number, localCloud: number): void {
  if (!Number.isInteger(localCloud) || localCloud <= 1 || !isAlive(localCloud)) endWithLocalCloud(group);
  setInterval(() => {
    if (!isAlive(localCloud)) endWithLocalCloud(group);
  }, LOCAL_CLOUD_POLL_MS).unref();
}

const exitWithGroup = flagValue('--exit-on-stdin-close');
if (exitWithGroup !== undefined) {
  const group = Number(exitWithGroup);
  const localCloud = Number(flagValue('--exit-on-stdin-close', 2));
  // Only the end matters: nobody writes to this pipe. Between slices the loop sees the close.
  process.stdin.on('end', () => onPipeClosed(group, localCloud));
  process.stdin.on('error', () => onPipeClosed(group, localCloud));
  process.stdin.resume();
}

let windowStartedAt = performance.now();
let cpuAtWindowStart = process.cpuUsage();

function cpuMsUsed(): number {
  const { user, system } = process.cpuUsage(cpuAtWindowStart);
  return (user + system) / 1000;
}

/** Spins until this process's CPU time reaches `load` % of the window's elapsed time, within one slice. */
function burnSlice(): void {
  const end = deadline.current();
  if (Date.now() >= end) process.exit(0);
  if (performance.now() - windowStartedAt >= CATCH_UP_WINDOW_MS) {
    windowStartedAt = performance.now();
    cpuAtWindowStart = process.cpuUsage();
  }
  const startedAt = windowStartedAt;
  const sliceEnd = performance.now() + SLICE_MS;
  const stopAt = Math.min(sliceEnd, performance.now() + (end - Date.now()));
  while (performance.now() < stopAt && cpuMsUsed() < ((performance.now() - startedAt) * load) / 100) {
    // spin: the condition itself is the work
  }
  const idleMs = Math.max(0, Math.min(sliceEnd - performance.now(), end - Date.now()));
  setTimeout(burnSlice, idleMs);
}

burnSlice();
// Its manager answers the stress request once every worker shows this title (stress-manager.ts).
process.title = BURNING_LINE;
