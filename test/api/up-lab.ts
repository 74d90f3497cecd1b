/**
 * `scalelab up` as a child process with free ports and a high time scale, its JSON ready line,
 * and SIGINT: how the tests of its AWS endpoint start and stop it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

/** The members of up's `--json` ready line these tests read. */
export interface UpReady {
  ready: true;
  simulatedTime: string;
  awsEndpoint: string;
  autoScalingGroup: { AutoScalingGroupName: string };
  instances: { instanceId: string; app: string; pid: number }[];
}

export interface UpLab {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/**
 * Scale 60, every port free. 1200 simulated s to come up is 20 s real, slack for a loaded
 * two-core machine (test/cli/up-command.test.ts does the same).
 */
export const QUICK_UP = [
  '--json',
  '--time-scale',
  '60',
  '--web-port',
  '0',
  '--scaling-port',
  '0',
  '--api-port',
  '0',
  '--set',
  'timeouts.healthySeconds=1200',
];

export function startUp(args: string[]): UpLab {
  const child = spawn(process.execPath, [CLI, 'up', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

export async function readyOf(lab: UpLab): Promise<UpReady> {
  const line = await waitFor(() => lab.out.stdout.split('\n').find((l) => l.startsWith('{"ready"')), {
    timeoutMs: 25_000,
    what: () => `up's ready line (stderr: ${lab.out.stderr})`,
  });
  return JSON.parse(line) as UpReady;
}

/** True once nothing accepts connections at `url` any more. */
export async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'POST', signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}
