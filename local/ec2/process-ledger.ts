/**
 * The instance processes a local cloud started, written down as they start, so that the next
 * owner of the same state directory can end any it left behind. Instances die with their local
 * cloud (they exit when its stdin pipe closes; their stress workers take the group along), but a
 * process that cannot run cannot notice anything: one stopped with SIGSTOP when its local cloud
 * was SIGKILLed stays, stopped, until someone ends it. Only the owner of the state directory (its
 * lock held) may reap: another live process's instances are never touched.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { startTimeOf } from '../proc-identity.js';

/** The ledger's file name in a state directory. */
export const INSTANCE_LEDGER_FILE = 'instance-processes';

/** One line a process: `<pid> <start time>`, the start time telling it from a later PID reuse. */
export class ProcessLedger {
  constructor(private readonly file: string) {}

  /** Notes an instance's process (the leader of its process group). */
  record(pid: number): void {
    const startTime = startTimeOf(pid);
    // Without /proc there is no telling a reused PID apart: nothing is noted, nothing reaped.
    if (startTime !== undefined) appendFileSync(this.file, `${pid} ${startTime}\n`);
  }

  /**
   * SIGKILLs the process group of every noted process that still is the one noted (same start
   * time), then forgets them all. Call it only while holding the state directory's lock.
   */
  reapLeftovers(): number[] {
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const reaped: number[] = [];
    for (const line of text.split('\n')) {
      const [pid, startTime] = line.trim().split(' ');
      const id = Number(pid);
      if (!Number.isInteger(id) || id <= 1 || startTime === undefined) continue;
      if (startTimeOf(id) !== startTime) continue;
      try {
        process.kill(-id, 'SIGKILL');
        reaped.push(id);
      } catch {
        // gone in the meantime
      }
    }
    rmSync(this.file, { force: true });
    return reaped;
  }
}
