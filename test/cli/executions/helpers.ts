/** Runs `bin/scalelab.js` against a `startServe` endpoint started by the test. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type RegisterStateMachines,
  type RunningServe,
  registerDemo,
  type ServeContext,
  startServe,
} from '../../../cli/executions/serve.js';
import { parseLabConfig } from '../../../lab/config.js';
import { processesMatching } from '../../helpers/proc-scan.js';
import { CLI } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/wait-for.js';

export const ASL_FIXTURES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'fixtures',
  'asl',
);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One CLI invocation with `SCALELAB_ENDPOINT` set; killed (and failing the test) after 20 s. */
export function scalelab(endpoint: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH, HOME: os.tmpdir(), SCALELAB_ENDPOINT: endpoint, ...env },
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface ServeFixture {
  serve: RunningServe;
  stateDir: string;
  close(): Promise<void>;
}

/** `startServe` on port 0 and a temp state dir, by default the demo state machine at time scale 1000. */
export async function serveForTest(
  register?: RegisterStateMachines,
  timeScale = 1000,
): Promise<ServeFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-'));
  const serve = await startServe({
    port: 0,
    stateDir: dir,
    config: parseLabConfig({ timeScale }),
    register: register ?? registerDemo,
  });
  return {
    serve,
    stateDir: dir,
    async close() {
      await serve.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every instance of `context`'s local cloud is stopped or terminated and no process of one is left. */
export async function labAtRest(context: ServeContext, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    () =>
      context.cloud.ec2
        .describeInstances()
        .every(
          ({ instanceId, state }) =>
            (state === 'stopped' || state === 'terminated') && processesMatching(instanceId).length === 0,
        ),
    { timeoutMs, what: 'every instance of the lab to stop and its processes to end' },
  );
}
