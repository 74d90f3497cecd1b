import { readFileSync } from 'node:fs';
import { parseLabConfig } from '../lab/config.js';
import { LocalAws } from '../local/local-aws.js';
import { createLocalLab } from '../local-lab/resources.js';
import type { Bench } from './bench-row.js';

const MEASURE_MS = 10_000;
const READY_DEADLINE_MS = 60_000;

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return kilobytes / 1024;
}

async function untilInstancesRun(cloud: LocalAws, count: number): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (cloud.ec2.describeInstances().filter(({ state }) => state === 'running').length < count) {
    if (Date.now() > deadline)
      throw new Error(`${count} instances did not run within ${READY_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The local cloud's own cost with the lab up and idle (two seed instances, one serve instance),
 * at the default time scale: its CPU must not pollute the CPU metric it measures.
 */
export const localCloudBench: Bench = async (report) => {
  const config = parseLabConfig();
  const cloud = new LocalAws({ timeScale: config.timeScale, bootSeconds: config.instanceBootSeconds });
  try {
    await createLocalLab(cloud, config, { running: true, ports: { web: 0, scaling: 0 } });
    await untilInstancesRun(cloud, 3);
    const startCpu = process.cpuUsage();
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
    const { user, system } = process.cpuUsage(startCpu);
    const percent = ((user + system) / 1000 / (performance.now() - startedAt)) * 100;
    const pids = [process.pid, ...cloud.ec2.describeInstances().flatMap(({ pid }) => (pid ? [pid] : []))];
    const memory = pids.reduce((sum, pid) => sum + rssMegabytes(pid), 0);
    const note = `3 idle instances, time scale ${config.timeScale}, ${MEASURE_MS / 1000} s`;
    report({
      name: 'local cloud CPU, lab idle',
      value: Math.round(percent * 100) / 100,
      unit: '% of one core',
      goal: '<= 3 %',
      met: percent <= 3,
      note,
    });
    report({
      name: 'local cloud + instances memory (RSS)',
      value: Math.round(memory),
      unit: 'MB',
      goal: '<= 400 MB',
      met: memory <= 400,
      note: `${pids.length} processes`,
    });
  } finally {
    await cloud.close();
  }
};
