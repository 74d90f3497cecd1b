import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const CLI = fileURLToPath(new URL('../../bin/scalelab.js', import.meta.url));

/** True while `pid` is a live process (a zombie waiting to be reaped counts as ended). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) a single process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after "(comm) ": state is [0], utime is [11], stime is [12], in clock ticks (100 Hz on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface SpawnedApp {
  child: ChildProcess;
  url: string;
  pid: number;
  output: () => string;
}

/** Spawns `scalelab app …` and resolves once it prints its listening line. */
export async function spawnApp(args: string[], timeoutMs = 10_000): Promise<SpawnedApp> {
  const child = spawn(process.execPath, [CLI, 'app', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`app exited early with ${child.exitCode}: ${output}`);
      return /listening on (http:\/\/\S+)/.exec(output)?.[1];
    },
    { timeoutMs, what: 'the app to print its listening line' },
  );
  return { child, url, pid: child.pid ?? -1, output: () => output };
}

/** Sends a signal and resolves with the exit code once the child has exited. */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}
