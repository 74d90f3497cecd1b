import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Another live process serves this state directory. */
export class StateDirInUse extends Error {
  override name = 'StateDirInUse';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process at a time per state directory: on start-up a service marks every RUNNING record it
 * finds as ABORTED, which would corrupt executions another live process is still running. A lock
 * left by a process that died is taken over.
 */
export class StateDirLock {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'lock');
    let holder: number | undefined;
    try {
      holder = Number(readFileSync(this.file, 'utf8'));
    } catch {
      holder = undefined;
    }
    if (holder && holder !== process.pid && alive(holder)) {
      throw new StateDirInUse(
        `state directory ${stateDir} is in use by process ${holder} (a scalelab run or serve); stop it, or use another --state-dir`,
      );
    }
    writeFileSync(this.file, String(process.pid));
  }

  release(): void {
    try {
      if (Number(readFileSync(this.file, 'utf8')) === process.pid) rmSync(this.file);
    } catch {
      // already gone
    }
  }
}
