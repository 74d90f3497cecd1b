import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../node-app/project-root.js';
import { type SpawnedApp, spawnApp } from '../node-app/spawn-app.js';
import type { Bench, BenchRow } from './bench-row.js';
import { hasCommand, measureLoad } from './load.js';

const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = 5;
const CONNECTIONS = 32;
/** Few connections while stressed: the question is how fast one GET is answered, not peak throughput. */
const STRESSED_CONNECTIONS = 4;
const FLASK_APP = join(projectRoot(), 'bench', 'reference', 'flask_seed_app.py');

function stop(app: { child: SpawnedApp['child'] }): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    app.child.once('exit', () => resolve());
    app.child.kill('SIGTERM');
  });
}

async function hasFlask(): Promise<boolean> {
  if (!hasCommand('python3')) return false;
  const child = spawn('python3', ['-c', 'import flask'], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code === 0)));
}

/** Starts the original Flask seed app on a free loopback port and waits until it answers. */
async function startFlask(): Promise<{ child: SpawnedApp['child']; url: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn('python3', [FLASK_APP, '127.0.0.1', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the Flask reference app did not answer on ${url} within 10 s`);
}

async function throughput(url: string): Promise<{ rps: number; generator: string }> {
  await measureLoad({ url, seconds: WARMUP_SECONDS, connections: CONNECTIONS });
  const result = await measureLoad({ url, seconds: MEASURE_SECONDS, connections: CONNECTIONS });
  return { rps: Math.round(result.requestsPerSecond), generator: result.generator };
}

async function seedThroughput(report: (row: BenchRow) => void): Promise<void> {
  const seed = await spawnApp(['seed', '--port', '0']);
  try {
    const polka = await throughput(seed.url);
    if (!(await hasFlask())) {
      report({
        name: 'seed app GET / throughput',
        value: polka.rps,
        unit: 'req/s',
        goal: '>= 20x Flask',
        note: `python3 with Flask not installed: no baseline; ${polka.generator}`,
      });
      return;
    }
    const flaskApp = await startFlask();
    try {
      const flask = await throughput(flaskApp.url);
      const ratio = Math.round((polka.rps / flask.rps) * 10) / 10;
      report({
        name: 'seed app GET / throughput',
        value: polka.rps,
        unit: 'req/s',
        baseline: { name: 'Flask dev server (seed original)', value: flask.rps },
        goal: '>= 20x Flask',
        met: ratio >= 20,
        note: `${ratio}x; ${polka.generator}`,
      });
    } finally {
      await stop(flaskApp);
    }
  } finally {
    await stop(seed);
  }
}

async function latencyUnderStress(report: (row: BenchRow) => void): Promise<void> {
  const serve = await spawnApp(['serve', '--port', '0']);
  try {
    const stress = await fetch(serve.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 60, workers: 4, load: 100 }),
    });
    if (stress.status !== 202) throw new Error(`could not start the stress: HTTP ${stress.status}`);
    const result = await measureLoad({
      url: serve.url,
      seconds: MEASURE_SECONDS,
      connections: STRESSED_CONNECTIONS,
    });
    const note = `4 workers at 100 % on ${STRESSED_CONNECTIONS} connections; ${result.generator}`;
    report({ name: 'serve app GET / p50 during full stress', value: round(result.p50Ms), unit: 'ms', note });
    report({
      name: 'serve app GET / p99 during full stress',
      value: round(result.p99Ms),
      unit: 'ms',
      goal: '<= 100 ms',
      met: result.p99Ms <= 100,
      note,
    });
  } finally {
    await stop(serve); // SIGTERM ends the stress workers too
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Issue 2's figures: the seed app against the original Flask app, and GET latency under full stress. */
export const instanceAppsBench: Bench = async (report) => {
  await seedThroughput(report);
  await latencyUnderStress(report);
};
