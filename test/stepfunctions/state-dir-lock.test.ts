import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { stopChild } from '../helpers/processes.js';

/** A live process that is not scalelab, or one whose command line runs the scalelab CLI. */
function idleProcess(extraArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...extraArgs], { stdio: 'ignore' });
}

function startTimeOf(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

describe.runIf(process.platform === 'linux')('the state directory lock', () => {
  let stateDir: string;
  let other: ChildProcess | undefined;
  let service: LocalStepFunctions | undefined;

  function open(): LocalStepFunctions {
    service = new LocalStepFunctions({ stateDir, clock: new Clock({ scale: 1 }), warn: () => undefined });
    return service;
  }

  function lockHolding(text: string): void {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-lock-'));
    fs.writeFileSync(path.join(stateDir, 'lock'), text);
  }

  afterEach(async () => {
    await service?.close();
    service = undefined;
    if (other) await stopChild(other, 'SIGKILL');
    other = undefined;
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('takes over a lock holding the bare PID of a live process that is not scalelab', () => {
    // Prepare: the PID of a crashed scalelab, reused by an unrelated program.
    other = idleProcess();
    lockHolding(String(other.pid));

    // Act
    open();

    // Assess: the lock is ours now, with our start time.
    expect(fs.readFileSync(path.join(stateDir, 'lock'), 'utf8')).toBe(
      `${process.pid} ${startTimeOf(process.pid)}`,
    );
  });

  it('takes over a lock whose PID is live but started at another time', () => {
    other = idleProcess();
    lockHolding(`${other.pid} 1`);

    open();

    expect(fs.readFileSync(path.join(stateDir, 'lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
  });

  it('refuses a lock held by the live process that wrote it', () => {
    other = idleProcess();
    const pid = other.pid ?? 0;
    lockHolding(`${pid} ${startTimeOf(pid)}`);

    expect(open).toThrow(
      `state directory ${stateDir} is in use by process ${pid} (a scalelab run or serve); stop it, or use another --state-dir`,
    );
  });

  it('refuses a lock holding the bare PID of a live process running the scalelab CLI', () => {
    other = idleProcess([path.join('/opt', 'scalelab', 'bin', 'scalelab.js'), 'serve']);
    lockHolding(String(other.pid));

    expect(open).toThrow(expect.objectContaining({ name: 'StateDirInUse' }));
  });
});
