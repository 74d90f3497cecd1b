import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTimeOf } from '../proc-identity.js';

/** Another live process serves this state directory. */
export class StateDirInUse extends Error {
  override name = 'StateDirInUse';
}

/** What the lock file names: a PID and, where the OS tells it, that process's start time. */
interface LockHolder {
  pid: number;
  /** Clock ticks after boot (`/proc/<pid>/stat` field 22); absent in a lock holding a bare PID. */
  startTime?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `bin/scalelab.js`, the npm bin link `scalelab`, or the compiled CLI entry `dist/cli/main.js`. */
const SCALELAB_ENTRY = /(^|\/)(scalelab(\.js)?|dist\/cli\/main\.js)$/;

/** Whether a process's command line runs the scalelab CLI; false when it cannot be read. */
function runsScalelab(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((arg) => SCALELAB_ENTRY.test(arg));
  } catch {
    return false;
  }
}

function readHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^\s*(\d+)(?:\s+(\d+))?\s*$/.exec(text);
  if (!match) return undefined; // not a lock this code wrote: nothing holds it
  return { pid: Number(match[1]), ...(match[2] !== undefined && { startTime: match[2] }) };
}

/**
 * Whether the holder is a live scalelab process. A PID alone proves little: after a crash the
 * PID is reused, by any process. Where /proc exists, a recorded start time must match (the very
 * process that wrote the lock, which only scalelab does); a bare PID must run the scalelab CLI.
 */
function heldByScalelab(holder: LockHolder): boolean {
  if (holder.pid === process.pid || !alive(holder.pid)) return false;
  // Without /proc (macOS, Windows) a live PID is all there is to go by: treat it as holding the
  // lock, since taking over from a live scalelab would abort the executions it is running.
  if (!existsSync('/proc/self/stat')) return true;
  if (holder.startTime !== undefined) return startTimeOf(holder.pid) === holder.startTime;
  return runsScalelab(holder.pid);
}

/**
 * One process at a time per state directory: on start-up a service marks every RUNNING record it
 * finds as ABORTED, which would corrupt executions another live process is still running. A lock
 * left by a process that died, or whose PID now belongs to another program, is taken over.
 */
export class StateDirLock {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'lock');
    const holder = readHolder(this.file);
    if (holder && heldByScalelab(holder)) {
      throw new StateDirInUse(
        `state directory ${stateDir} is in use by process ${holder.pid} (a scalelab run or serve); stop it, or use another --state-dir`,
      );
    }
    const startTime = startTimeOf(process.pid);
    writeFileSync(this.file, startTime === undefined ? String(process.pid) : `${process.pid} ${startTime}`);
  }

  release(): void {
    if (readHolder(this.file)?.pid !== process.pid) return;
    rmSync(this.file, { force: true });
  }
}
