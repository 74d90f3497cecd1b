import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../node-app/project-root.js';
import type { Bench, BenchRow } from './bench-row.js';
import {
  mergedDateLine,
  mergeRows,
  previousDate,
  type RowCells,
  readReport,
  tableRows,
} from './report-file.js';

/** Every benchmark, by the name `--only` takes; each loads lazily so one can run alone. */
const BENCHES: Record<string, () => Promise<Bench>> = {
  'instance-apps': async () => (await import('./instance-apps.js')).instanceAppsBench,
  elb: async () => (await import('./elb.js')).elbBench,
  'local-cloud': async () => (await import('./local-cloud.js')).localCloudBench,
  'step-functions': async () => (await import('./stepfunctions.js')).stepFunctionsBench,
  lab: async () => (await import('./lab.js')).labBench,
  observers: async () => (await import('./observers.js')).observersBench,
  agreement: async () => (await import('./agreement.js')).agreementBench,
  'local-api': async () => (await import('./local-api.js')).localApiBench,
  console: async () => (await import('./console.js')).consoleBench,
};

function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = Math.round(totalmem() / 2 ** 30);
  return `${cpus().length} × ${model}, ${memory} GiB, Node.js ${process.version}, ${process.platform}`;
}

function cell(row: BenchRow): string[] {
  const baseline = row.baseline ? `${row.baseline.value} (${row.baseline.name})` : '—';
  const met = row.met === undefined ? '—' : row.met ? 'yes' : '**no**';
  return [row.name, `${row.value} ${row.unit}`, baseline, row.goal ?? '—', met, row.note ?? ''];
}

/** How to read the table; written with every report because it holds for every run. */
const READING = `## Reading the figures

Every baseline is measured in the same run, on the same machine, in alternation with what it is
compared to, so the ratios are the figures to trust. On a small machine the load generator, the
proxy and the backends share the cores, so throughput and p99 rows move from run to run. On the
2-core microVM these figures come from, a busy host slows Node's proxies more than nginx: the
ELB's throughput read 0.66x to 0.72x nginx's in seven runs of one afternoon and 0.43x in one
taken while the host was busy (its Node floor falls with it). Rerun
\`npm run bench -- --only elb\` to see the spread.

The "Node floor" row is the least a proxy on the ELB's own stack can do: \`node:http\` plus an
undici \`Pool\`, round robin and nothing else. It tells the two costs apart: the ELB against the
floor is what its features (health checks, header rules, error pages, draining, backpressure)
cost, and the floor against nginx is what the Node HTTP stack costs, which no change to the ELB
can remove.`;

function table(rows: RowCells[]): string {
  const header = ['what', 'measured', 'baseline (same run)', 'goal', 'met', 'notes'];
  const lines = [header, header.map(() => '---'), ...rows];
  return lines.map((line) => `| ${line.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, write: { type: 'boolean' } } });
  const names = values.only ? values.only.split(',') : Object.keys(BENCHES);
  const rows: BenchRow[] = [];
  for (const name of names) {
    const load = BENCHES[name];
    if (!load) throw new Error(`unknown bench '${name}'; known: ${Object.keys(BENCHES).join(', ')}`);
    process.stderr.write(`bench ${name}…\n`);
    await (await load())((row) => {
      rows.push(row);
      process.stderr.write(`  ${cell(row).slice(0, 2).join(': ')}\n`);
    });
  }
  const file = join(projectRoot(), 'BENCHMARKS.md');
  const today = new Date().toISOString().slice(0, 10);
  const previous = values.only && values.write ? readReport(file) : undefined;
  // Part of the benches rerun: their rows replace their old ones, the others stay with their date.
  const cells = previous ? mergeRows(tableRows(previous), rows.map(cell)) : rows.map(cell);
  const date = previous ? mergedDateLine(previousDate(previous), names, today) : today;
  const report = `# Benchmarks\n\nRun with \`npm run bench\` (add \`-- --write\` to refresh this file; \`-- --only NAME --write\` refreshes that bench's rows only).\n\n- Date: ${date}\n- Machine: ${machine()}\n\n${table(cells)}\n\n${READING}\n`;
  process.stdout.write(report);
  if (values.write) writeFileSync(file, report);
}

await main();
