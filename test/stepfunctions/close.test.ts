import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'close-child.mjs');
const BUILT_SERVICE = path.join(HERE, '..', '..', 'dist', 'local', 'stepfunctions', 'index.js');
const FIXTURE = path.join(HERE, '..', 'fixtures', 'asl', 'callback.asl.json');

describe('close', () => {
  let child: ChildProcess | undefined;
  let stateDir: string | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('aborts a pending callback task and leaves nothing that keeps the process alive', async () => {
    expect(fs.existsSync(BUILT_SERVICE), 'dist/ is missing: run `npm run build`').toBe(true);
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-sfn-close-'));
    const running = spawn(process.execPath, [CHILD, stateDir, FIXTURE], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = running;
    let stdout = '';
    let stderr = '';
    running.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    running.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    // The callback task's TimeoutSeconds is 3600 at scale 1: only a clean close lets it exit now.
    const exitCode = await waitFor(
      () => (running.exitCode === null ? undefined : { code: running.exitCode }),
      {
        timeoutMs: 15_000,
        what: () => `the child to exit on its own after close() (stdout: ${stdout}, stderr: ${stderr})`,
      },
    );

    expect(exitCode.code).toBe(0);
    expect(stdout).toMatch(/^CLOSED ABORTED .*service was closed/m);
  });
});
