import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from '../helpers/wait-for.js';

/** Busy-waits for `ms` then exits: bounded, so a failed cleanup cannot leave a spinning process. */
const busy = (ms: number) => `const end = Date.now() + ${ms}; while (Date.now() < end) {}`;

/** After the busy part, report the CPU seconds this process used (getrusage, all threads), then idle. */
const report = `const u = process.cpuUsage(); console.log('used ' + (u.user + u.system) / 1e6); setTimeout(() => {}, 5000);`;

/** Child programs, each printing "ready" once its setup (Node start-up CPU) is over. */
export const programs = {
  busy: (ms: number) => `console.log('ready'); ${busy(ms)}`,
  /** Busy for `ms`, then prints "used <cpu seconds>" as the process itself counts them, then idles. */
  busyThenReport: (ms: number) => `console.log('ready'); ${busy(ms)}; ${report}`,
  idle: (ms: number) => `console.log('ready'); setTimeout(() => {}, ${ms});`,
  /** An idle parent whose forked grandchild is busy. */
  busyGrandchild: (ms: number) => `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ['-e', ${JSON.stringify(`process.stdout.write('go'); ${busy(ms)}`)}], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => console.log('ready'));
    child.on('exit', () => process.exit(0));`,
  /** A parent that runs a busy grandchild to completion, reaps it, then idles. */
  reapedGrandchild: (ms: number) => `
    const { spawnSync } = require('node:child_process');
    spawnSync(process.execPath, ['-e', ${JSON.stringify(busy(ms))}]);
    console.log('ready');
    setTimeout(() => {}, 5000);`,
};

/** Spawns `node -e program` in its own process group and resolves once it prints "ready". */
export async function startProgram(program: string): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(process.execPath, ['-e', program], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(() => output.includes('ready'), { timeoutMs: 10_000, what: 'the child to be ready' });
  return Object.assign(child, { output: () => output });
}

/** Kills the child's whole process group (the child and anything it started) and waits for its exit. */
export async function stopProgram(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
  await exited;
}
