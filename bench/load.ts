import { spawn, spawnSync } from 'node:child_process';

/** What one load run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Which generator produced the numbers, for the report. */
  generator: string;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
}

/** Keep-alive load from a separate Node process when wrk is missing; prints a LoadResult as JSON. */
const NODE_LOAD_SCRIPT = `
const http = require('node:http');
const [url, seconds, connections] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = []; let errors = 0; const end = performance.now() + seconds * 1000;
function loop() {
  if (performance.now() >= end) return Promise.resolve();
  const started = performance.now();
  return new Promise((resolve) => {
    http.get(url, { agent }, (res) => { res.resume(); res.on('end', () => {
      if (res.statusCode !== 200) errors++; latencies.push(performance.now() - started); resolve(); }); })
      .on('error', () => { errors++; resolve(); });
  }).then(loop);
}
Promise.all(Array.from({ length: connections }, loop)).then(() => {
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  process.stdout.write(JSON.stringify({ requestsPerSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), errors }));
  agent.destroy();
});
`;

/** True when `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command to completion and returns its stdout; rejects on a non-zero exit. */
export function runCommand(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`)),
    );
  });
}

function toMs(value: string, unit: string): number {
  const factor: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
  return Number(value) * (factor[unit] ?? Number.NaN);
}

function percentile(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s|m)\\b`, 'm').exec(output);
  if (!match?.[1] || !match[2])
    throw new Error(`cannot read the ${label}th percentile from wrk output:\n${output}`);
  return toMs(match[1], match[2]);
}

/** Parses `wrk --latency` output: requests/s, p50, p99, and non-2xx plus socket errors. */
export function parseWrk(output: string): Omit<LoadResult, 'generator'> {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!rps) throw new Error(`cannot read requests/s from wrk output:\n${output}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
    .exec(output)
    ?.slice(1)
    .reduce((sum, n) => sum + Number(n), 0);
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: percentile(output, '50'),
    p99Ms: percentile(output, '99'),
    errors: non2xx + (socketErrors ?? 0),
  };
}

/** Drives `url` with keep-alive GETs for `seconds`: wrk when installed, else a Node generator. */
export async function measureLoad({ url, seconds, connections }: LoadOptions): Promise<LoadResult> {
  if (hasCommand('wrk')) {
    const output = await runCommand('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]);
    return { ...parseWrk(output), generator: `wrk -t1 -c${connections}` };
  }
  const output = await runCommand(process.execPath, [
    '-e',
    NODE_LOAD_SCRIPT,
    url,
    String(seconds),
    String(connections),
  ]);
  return {
    ...(JSON.parse(output) as Omit<LoadResult, 'generator'>),
    generator: `Node (wrk not installed), ${connections} connections`,
  };
}
