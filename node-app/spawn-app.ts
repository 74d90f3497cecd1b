import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

/** The compiled CLI; instance servers run as `node bin/scalelab.js app <seed|serve> …`. */
export const CLI_PATH = join(projectRoot(), 'bin', 'scalelab.js');

const LISTENING_LINE =
  /(\w+) app listening on (http:\/\/\S+) \(instance (\S+), private IP (\S+), pid (\d+)\)/;

export interface SpawnedApp {
  child: ChildProcess;
  url: string;
  instanceId: string;
  privateIp: string;
  pid: number;
  /** Everything the app printed so far (stdout and stderr). */
  output: () => string;
}

export class AppStartError extends Error {
  override name = 'AppStartError';
}

/**
 * Spawns `scalelab app …` as its own process and resolves once it prints its listening line.
 * stdin stays a pipe, so with `--exit-on-stdin-close` the app dies with its parent.
 * `detached` puts it in its own process group, so the caller can end it with everything it started.
 */
export function spawnApp(args: string[], { timeoutMs = 10_000, detached = false } = {}): Promise<SpawnedApp> {
  const child = spawn(process.execPath, [CLI_PATH, 'app', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached,
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new AppStartError(`${message}; output: ${output.trim() || '(none)'}`));
    };
    const timer = setTimeout(() => fail(`app did not start within ${timeoutMs} ms`), timeoutMs);
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = LISTENING_LINE.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      const [, , url = '', instanceId = '', privateIp = '', pid = ''] = match;
      resolve({ child, url, instanceId, privateIp, pid: Number(pid), output: () => output });
    };
    const onEarlyExit = (code: number | null): void => fail(`app exited with code ${code} before listening`);
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('exit', onEarlyExit);
    child.once('error', (error) => fail(`cannot spawn the app: ${error.message}`));
  });
}
