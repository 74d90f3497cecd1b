/**
 * The local load balancer's throughput and p99 latency over two tiny backends, against nginx doing
 * round robin over the same two backends in the same run. Load comes from wrk when installed,
 * otherwise from a Node load generator in its own process. Every process started here is ended.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Clock } from '../local/clock.js';
import { LocalElb } from '../local/elb/index.js';
import type { Bench, BenchRow } from './bench-row.js';
import { hasCommand, type LoadResult, measureLoad } from './load.js';

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
 * A reference: a bare round-robin forwarder on Node's `http.request` (no health, no header rules,
 * no error pages) over the same backends, in its own process. The local ELB's target side is
 * undici rather than `http.request`, which is why it can beat this.
 */
const BARE_PROXY_SCRIPT = `
const http = require('node:http');
const targets = JSON.parse(process.argv[1]);
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });
let next = 0;
const server = http.createServer((req, res) => {
  const [host, port] = targets[next++ % targets.length];
  const up = http.request({ host, port, method: req.method, path: req.url, headers: req.headers, agent }, (ur) => {
    res.writeHead(ur.statusCode, ur.headers);
    ur.pipe(res);
  });
  up.on('error', () => { res.statusCode = 502; res.end(); });
  req.pipe(up);
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

/** Runs a Node script as a child that ends with the parent; resolves with the JSON of its first line. */
function startChild<T>(script: string, args: readonly string[], children: ChildProcess[]): Promise<T> {
  const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
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

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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

/** The ELB bench: throughput and p99 rows, with nginx as baseline when installed. */
export const elbBench: Bench = async (report: (row: BenchRow) => void) => {
  const children: ChildProcess[] = [];
  const killAll = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const dir = await mkdtemp(path.join(tmpdir(), 'scalelab-elb-bench-'));
  const elb = new LocalElb({ clock: new Clock({ scale: 1 }) });
  try {
    const useWrk = hasCommand('wrk');
    const ports = await startChild<number[]>(BACKENDS_SCRIPT, [], children);
    const lb = await elb.createLoadBalancer({ name: 'bench' });
    const group = elb.createTargetGroup({ name: 'bench', port: 5000 });
    elb.createListener(lb, group);
    elb.registerTargets(
      group,
      ports.map((port, i) => ({ id: `i-bench${i}`, ip: BACKEND_IPS[i]!, port })),
    );
    await waitUntil(
      () => elb.describeTargetHealth(group).every((d) => d.targetHealth.state === 'healthy'),
      'bench targets to be healthy',
    );
    const targets = JSON.stringify(ports.map((port, i) => [BACKEND_IPS[i], port]));
    const barePort = await startChild<number>(BARE_PROXY_SCRIPT, [targets], children);
    const urls = [`${lb.url}/`, `http://127.0.0.1:${barePort}/`];
    if (hasCommand('nginx')) urls.push(await startNginx(dir, ports, children));
    const [local, bare, nginx] = (await measureAlternating(urls)) as [
      Measurement,
      Measurement,
      Measurement | undefined,
    ];

    const generator = useWrk
      ? `wrk -t1 -c${CONNECTIONS}`
      : `Node load generator (wrk not installed), ${CONNECTIONS} connections`;
    const notes = [generator, `best of ${ROUNDS} alternating ${MEASURE_SECONDS} s rounds`];
    if (local.errors > 0 || (nginx?.errors ?? 0) > 0) {
      notes.push(`errors: local ${local.errors}, nginx ${nginx?.errors ?? 0}`);
    }
    if (!nginx) notes.push('nginx not installed: no baseline');
    const note = notes.join('; ');
    report({
      name: 'local ELB throughput (round robin, 2 backends)',
      value: Math.round(local.requestsPerSecond),
      unit: 'req/s',
      goal: '>= 0.6x nginx',
      note,
      ...(nginx && {
        baseline: { name: 'nginx', value: Math.round(nginx.requestsPerSecond) },
        met: local.requestsPerSecond >= 0.6 * nginx.requestsPerSecond,
        note: `${note}; ${ratio(local.requestsPerSecond, nginx.requestsPerSecond)}x nginx`,
      }),
    });
    report({
      name: 'bare Node http.request proxy throughput (reference)',
      value: Math.round(bare.requestsPerSecond),
      unit: 'req/s',
      note: `${note}; local ELB = ${ratio(local.requestsPerSecond, bare.requestsPerSecond)}x of it; p99 ${Math.round(bare.p99Ms * 100) / 100} ms${
        nginx ? `; ${ratio(bare.requestsPerSecond, nginx.requestsPerSecond)}x nginx` : ''
      }`,
    });
    report({
      name: 'local ELB p99 latency (round robin, 2 backends)',
      value: Math.round(local.p99Ms * 100) / 100,
      unit: 'ms',
      goal: '<= 2x nginx',
      note,
      ...(nginx && {
        baseline: { name: 'nginx', value: Math.round(nginx.p99Ms * 100) / 100 },
        met: local.p99Ms <= 2 * nginx.p99Ms,
        note: `${note}; ${ratio(local.p99Ms, nginx.p99Ms)}x nginx`,
      }),
    });
  } finally {
    await elb.close();
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
