import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabSummary } from '../../local-lab/run/run-folder.js';
import { processesMatching } from '../helpers/proc-scan.js';
import { CLI, stopChild } from '../helpers/processes.js';

let workDir: string | undefined;
let deadWebhook: Server | undefined;

afterEach(async () => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
  deadWebhook?.closeAllConnections();
  await new Promise((resolve) => (deadWebhook ? deadWebhook.close(resolve) : resolve(undefined)));
  deadWebhook = undefined;
});

/** A Slack stand-in that accepts requests and never answers: the worst webhook there is. */
async function startDeadWebhook(received: { count: number }): Promise<string> {
  deadWebhook = createServer(() => {
    received.count++;
  });
  await new Promise<void>((resolve) => deadWebhook?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(deadWebhook.address() as AddressInfo).port}/services/T000/B000/${WEBHOOK_SECRET}`;
}

const WEBHOOK_SECRET = 'XsecretXwebhookXtokenX';

function instanceIdsIn(folder: string): string[] {
  const events = JSON.parse(readFileSync(join(folder, 'events.json'), 'utf8')) as {
    source: string;
    detail: Record<string, string>;
  }[];
  return [...new Set(events.filter((e) => e.source === 'aws.ec2').map((e) => e.detail['instance-id'] ?? ''))];
}

describe('scalelab run (the real lab, end to end)', () => {
  it('runs the whole lab at a high time scale, passes despite a dead Slack webhook, writes the run folder and leaves nothing running', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'scalelab-e2e-'));
    const args = [
      'run',
      '--json',
      '--time-scale',
      '40',
      '--name',
      'e2e',
      '--state-dir',
      join(workDir, 'state'),
      '--runs-dir',
      join(workDir, 'runs'),
    ];
    const received = { count: 0 };
    const webhook = await startDeadWebhook(received);
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SLACK_WEBHOOK_URL: webhook },
    });
    let summaryPrintedAt = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('run folder:') && summaryPrintedAt === 0) summaryPrintedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() =>
      stopChild(child, 'SIGKILL'),
    );
    const exitAfterVerdictMs = performance.now() - summaryPrintedAt;

    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LabSummary;
    expect(summary.verdict, `stderr: ${stderr}\nstdout: ${stdout}`).toMatchObject({ verdict: 'PASS' });
    expect(code).toBe(0);
    expect(summary.execution).toMatchObject({ name: 'e2e', status: 'SUCCEEDED' });
    expect(summary.verdict.expectations.map(({ held }) => held)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      summary.scalingActivities.some(({ cause }) =>
        /AlarmHigh.*changing the desired capacity from 1 to 2/.test(cause ?? ''),
      ),
    ).toBe(true);
    expect(
      summary.scalingActivities.some(({ cause }) =>
        /AlarmLow.*changing the desired capacity from 2 to 1/.test(cause ?? ''),
      ),
    ).toBe(true);
    expect(Object.values(summary.requestsPerInstance.web).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      20,
    );

    const folder = join(workDir, 'runs', 'e2e');
    for (const file of [
      'execution.json',
      'history.json',
      'metrics.json',
      'events.json',
      'summary.json',
      'handler-log.jsonl',
    ]) {
      expect(existsSync(join(folder, file)), file).toBe(true);
    }
    // A webhook that never answers was tried, cost the run well under a second at its end, and
    // its secret URL appears in no file of the run.
    expect(received.count).toBeGreaterThan(0);
    expect(exitAfterVerdictMs).toBeLessThan(1_500);
    expect(existsSync(join(folder, 'notifications.jsonl'))).toBe(true);
    for (const file of readdirSync(folder)) {
      expect(readFileSync(join(folder, file), 'utf8'), file).not.toContain(WEBHOOK_SECRET);
    }
    const instanceIds = instanceIdsIn(folder);
    expect(instanceIds.length).toBeGreaterThanOrEqual(4); // 2 seed instances, 2 or more serve instances
    for (const id of instanceIds) expect(processesMatching(id)).toEqual([]);
  }, 180_000);
});
