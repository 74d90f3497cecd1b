/**
 * The local load balancer's throughput and p99 latency over two tiny backends, against nginx doing
 * round robin over the same two backends in the same run. Load comes from wrk when installed,
 * otherwise from a Node load generator in its own process. The ELB, the floor and nginx each run
 * in a process of their own; every process started here is ended.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './bench-row.js';
import { hasCommand, type LoadResult, measureLoad } from './load.js';
import { waitUntil } from './wait.js';

const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = 2;
/** Rounds alternate the ELB and nginx so a burst of load elsewhere on the machine hits both alike. */
const ROUNDS = 4;
const CONNECTIONS = 32;
const BACKEND_IPS = ['127.0.0.2', '127.0.0.3'] as const;

type Measurement = Pick<LoadResult, 'requestsPerSecond' | 'p99Ms' | 'errors'>;

/** Two tiny HTTP backends in one child process, ended when the parent's stdin closes (even on SIGKILL). */
const BACKENDS_SCRIPT = `
const http = require('node:http');
const ips = ${JSON.stringify(BACKEND_IPS)};
const servers = ips.map((ip) => http.createServer((req, res) => { req.resume(); res.end('ok from ' + ip); }));
Promise.all(servers.map((s, i) => new Promise((r) => s.listen(0, ips[i], r)))).then(() => {
  process.stdout.write(JSON.stringify(servers.map((s) => s.address().port)) + '\\n');
});
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
`;

/**
 * The floor of the ELB's own stack: the least a proxy on `node:http` and an undici `Pool` can do
 * (round robin, headers passed through, no health checks, no header rules, no error pages, no
 * backpressure, no draining), in its own process over the same backends. What separates the ELB
 * from it is what the ELB's features cost; what separates it from nginx is the Node HTTP stack.
 */
const NODE_FLOOR_PROXY_SCRIPT = `
const http = require('node:http');
const { Pool } = require(process.argv[1]);
const pools = JSON.parse(process.argv[2]).map(([host, port]) => new Pool('http://' + host + ':' + port));
let next = 0;
const server = http.createServer((req, res) => {
  pools[next++ % pools.length].dispatch({ path: req.url, method: req.method, headers: req.rawHeaders, body: null }, {
    onConnect() {},
    onHeaders(status, raw, resume, text) { res.writeHead(status, text, raw.map((b) => b.toString('latin1'))); return true; },
    onData(chunk) { res.write(chunk); return true; },
    onComplete() { res.end(); },
    onError() { res.statusCode = 502; res.end(); },
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
`;

function measure(url: string, seconds: number): Promise<Measurement> {
  return measureLoad({ url, seconds, connections: CONNECTIONS });
}

/** The best of the rounds: highest throughput and lowest p99 (each may come from a different round). */
function best(measurements: readonly Measurement[]): Measurement {
  return {
    requestsPerSecond: Math.max(...measurements.map((m) => m.requestsPerSecond)),
    p99Ms: Math.min(...measurements.map((m) => m.p99Ms)),
    errors: measurements.reduce((sum, m) => sum + m.errors, 0),
  };
}

/** Warms each URL up, then measures them in alternation for {@link ROUNDS} rounds. */
async function measureAlternating(urls: readonly string[]): Promise<Measurement[]> {
  for (const url of urls) await measure(url, WARMUP_SECONDS);
  const results: Measurement[][] = urls.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, url] of urls.entries()) results[i]!.push(await measure(url, MEASURE_SECONDS));
  }
  return results.map(best);
}

/** Runs Node with `args` as a child that ends with the parent; resolves with the JSON of its first line. */
function startChild<T>(args: readonly string[], children: ChildProcess[]): Promise<T> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as T));
    child.once('exit', (code) => reject(new Error(`bench child exited early (${code})`)));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx in the foreground, single worker, round robin with keep-alive to the same backends. */
async function startNginx(dir: string, ports: readonly number[], children: ChildProcess[]): Promise<string> {
  const port = await freePort();
  const servers = ports.map((p, i) => `server ${BACKEND_IPS[i]}:${p};`).join(' ');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${path.join(dir, kind)};`)
    .join('\n  ');
  const config = `daemon off;
master_process off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp}
  upstream backends { ${servers} keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
  const configPath = path.join(dir, 'nginx.conf');
  await writeFile(configPath, config);
  const child = spawn('nginx', ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', configPath], {
    stdio: 'ignore',
  });
  children.push(child);
  await waitUntil(() => accepts(port), 'nginx to listen');
  return `http://127.0.0.1:${port}/`;
}

function ratio(a: number, b: number): number {
  // Three decimals, so a ratio just under a goal (0.596) does not print as the goal itself (0.6).
  return Math.round((a / b) * 1000) / 1000;
}

/** Milliseconds with two decimals. */
function ms(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The rows: the goals against nginx, the Node floor with its own ratios to nginx (what the
 * Node HTTP stack allows on this machine), and the ELB against that floor (what its features cost).
 */
function elbRows(
  local: Measurement,
  floor: Measurement,
  nginx: Measurement | undefined,
  note: string,
): BenchRow[] {
  const vsNginx = (value: number, of: number): string => `${note}; ${ratio(value, of)}x nginx`;
  return [
    {
      name: 'local ELB throughput (round robin, 2 backends)',
      value: Math.round(local.requestsPerSecond),
      unit: 'req/s',
      goal: '>= 0.6x nginx',
      note,
      ...(nginx && {
        baseline: { name: 'nginx', value: Math.round(nginx.requestsPerSecond) },
        met: local.requestsPerSecond >= 0.6 * nginx.requestsPerSecond,
        note: vsNginx(local.requestsPerSecond, nginx.requestsPerSecond),
      }),
    },
    {
      name: 'local ELB p99 latency (round robin, 2 backends)',
      value: ms(local.p99Ms),
      unit: 'ms',
      goal: '<= 2x nginx',
      note,
      ...(nginx && {
        baseline: { name: 'nginx', value: ms(nginx.p99Ms) },
        met: local.p99Ms <= 2 * nginx.p99Ms,
        note: vsNginx(local.p99Ms, nginx.p99Ms),
      }),
    },
    {
      name: 'Node floor throughput: minimal node:http + undici proxy (reference)',
      value: Math.round(floor.requestsPerSecond),
      unit: 'req/s',
      note: nginx
        ? `${vsNginx(floor.requestsPerSecond, nginx.requestsPerSecond)}; p99 ${ms(floor.p99Ms)} ms = ${ratio(floor.p99Ms, nginx.p99Ms)}x nginx`
        : `${note}; p99 ${ms(floor.p99Ms)} ms`,
    },
    {
      name: 'local ELB throughput / Node floor (what the ELB features cost)',
      value: ratio(local.requestsPerSecond, floor.requestsPerSecond),
      unit: 'x the floor',
      baseline: { name: 'Node floor, req/s', value: Math.round(floor.requestsPerSecond) },
      goal: '>= 0.9x',
      met: local.requestsPerSecond >= 0.9 * floor.requestsPerSecond,
      note: `${note}; p99 ${ratio(local.p99Ms, floor.p99Ms)}x the floor's`,
    },
  ];
}

/** The ELB bench: throughput and p99 rows, with nginx as baseline when installed. */
export const elbBench: Bench = async (report: (row: BenchRow) => void) => {
  const children: ChildProcess[] = [];
  const killAll = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const dir = await mkdtemp(path.join(tmpdir(), 'scalelab-elb-bench-'));
  try {
    const useWrk = hasCommand('wrk');
    const ports = await startChild<number[]>(['-e', BACKENDS_SCRIPT], children);
    const targets = JSON.stringify(ports.map((port, i) => [BACKEND_IPS[i], port]));
    const undici = createRequire(import.meta.url).resolve('undici');
    const elbUrl = await startChild<string>(
      [fileURLToPath(new URL('elb-process.js', import.meta.url)), targets],
      children,
    );
    const floorPort = await startChild<number>(['-e', NODE_FLOOR_PROXY_SCRIPT, undici, targets], children);
    const urls = [`${elbUrl}/`, `http://127.0.0.1:${floorPort}/`];
    if (hasCommand('nginx')) urls.push(await startNginx(dir, ports, children));
    const [local, floor, nginx] = (await measureAlternating(urls)) as [
      Measurement,
      Measurement,
      Measurement | undefined,
    ];

    const generator = useWrk
      ? `wrk -t1 -c${CONNECTIONS}`
      : `Node load generator (wrk not installed), ${CONNECTIONS} connections`;
    const notes = [generator, `best of ${ROUNDS} alternating ${MEASURE_SECONDS} s rounds`];
    if (local.errors + floor.errors + (nginx?.errors ?? 0) > 0) {
      notes.push(`errors: local ${local.errors}, floor ${floor.errors}, nginx ${nginx?.errors ?? 0}`);
    }
    if (!nginx) notes.push('nginx not installed: no baseline');
    for (const row of elbRows(local, floor, nginx, notes.join('; '))) report(row);
  } finally {
    killAll();
    process.removeListener('exit', killAll);
    await Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null
          ? new Promise((resolve) => child.once('exit', resolve))
          : undefined,
      ),
    );
    await rm(dir, { recursive: true, force: true });
  }
};
