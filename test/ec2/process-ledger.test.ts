import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessLedger } from '../../local/ec2/process-ledger.js';
import { isRunning } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

let dir: string | undefined;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.pid !== undefined && isRunning(child.pid)) process.kill(-child.pid, 'SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A process leading its own group, as the local cloud starts an instance, with a child of its own. */
function groupLeader(): ChildProcess {
  const code = `require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); setTimeout(() => {}, 60000);`;
  const child = spawn(process.execPath, ['-e', code], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('the instance process ledger', () => {
  it('lets the next owner end a stopped instance and its group, which could not end themselves', async () => {
    dir = mkdtempSync(join(tmpdir(), 'scalelab-ledger-'));
    const file = join(dir, 'instance-processes');
    const instance = groupLeader();
    const pid = instance.pid ?? -1;
    await waitFor(() => isRunning(pid), { what: 'the instance process to start' });
    new ProcessLedger(file).record(pid);
    process.kill(pid, 'SIGSTOP');

    const reaped = new ProcessLedger(file).reapLeftovers();

    expect(reaped).toEqual([pid]);
    await waitFor(() => !isRunning(pid), { timeoutMs: 5_000, what: 'the stopped instance to be ended' });
    expect(new ProcessLedger(file).reapLeftovers()).toEqual([]); // forgotten once reaped
  });

  it('never touches a process that only reuses a noted PID (another start time)', () => {
    dir = mkdtempSync(join(tmpdir(), 'scalelab-ledger-'));
    const file = join(dir, 'instance-processes');
    const instance = groupLeader();
    const pid = instance.pid ?? -1;
    writeFileSync(file, `${pid} 1\n1 0\nnot a line\n`);

    expect(new ProcessLedger(file).reapLeftovers()).toEqual([]);
    expect(isRunning(pid)).toBe(true);
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });
});
