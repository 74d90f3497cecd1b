/**
 * One CPU stress worker: a separate process that burns `load` % of one core until an absolute
 * deadline. The deadline lives here, not in the server, so the worker ends on time even if the
 * server that started it is SIGKILLed. Usage: node stress-worker.js <deadlineEpochMs> <loadPercent>
 * [--exit-on-stdin-close <app pid>]: with the flag it also exits when its stdin (the app's,
 * inherited) closes, taking the app's process group with it.
 *
 * The duty cycle is steered by the CPU time the OS has charged to this process, not by wall time:
 * on a busy machine a wall-clock duty cycle gets descheduled and under-delivers, while this one
 * spins longer to catch up, so the measured utilisation is the requested one whenever a core is free.
 * It catches up within a window of CATCH_UP_WINDOW_MS only: a worker starved for a while must not
 * repay the deficit later at 100 %, which would read far above `load` for a whole minute (and, in
 * the lab, push two instances over the target into a third).
 */
import { readFileSync } from 'node:fs';

const SLICE_MS = 100;
const CATCH_UP_WINDOW_MS = 2_000;

const deadline = Number(process.argv[2]);
const load = Number(process.argv[3]);
if (!Number.isFinite(deadline) || !(load > 0 && load <= 100)) {
  process.stderr.write('usage: stress-worker <deadlineEpochMs> <loadPercent 1..100>\n');
  process.exit(2);
}

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

if (process.argv[4] === '--exit-on-stdin-close') {
  const group = Number(process.argv[5]);
  // Only the end matters: nobody writes to this pipe. Between slices the loop sees the close.
  process.stdin.on('end', () => endWithLocalCloud(group));
  process.stdin.on('error', () => endWithLocalCloud(group));
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
  if (Date.now() >= deadline) process.exit(0);
  if (performance.now() - windowStartedAt >= CATCH_UP_WINDOW_MS) {
    windowStartedAt = performance.now();
    cpuAtWindowStart = process.cpuUsage();
  }
  const startedAt = windowStartedAt;
  const sliceEnd = performance.now() + SLICE_MS;
  const stopAt = Math.min(sliceEnd, performance.now() + (deadline - Date.now()));
  while (performance.now() < stopAt && cpuMsUsed() < ((performance.now() - startedAt) * load) / 100) {
    // spin: the condition itself is the work
  }
  const idleMs = Math.max(0, Math.min(sliceEnd - performance.now(), deadline - Date.now()));
  setTimeout(burnSlice, idleMs);
}

burnSlice();
