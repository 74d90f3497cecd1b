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

/** The line an app started with `--wait-for-go` prints once loaded, before it binds. */
const READY_LINE = /(\w+) app ready \(pid (\d+)\)/;
/** What such an app waits for on stdin before it binds. */
export const GO_LINE = 'go\n';

/** An app started with `--wait-for-go`: loaded, not yet bound. */
export interface LoadedApp {
  child: ChildProcess;
  /** Tells it to bind; resolves once it listens. */
  listen(options?: { timeoutMs?: number }): Promise<SpawnedApp>;
}

/**
 * Resolves once `child` prints a line matching `pattern` (stdout or stderr), with the match;
 * rejects (and SIGKILLs the child) if it exits, cannot spawn, or takes longer than `timeoutMs`.
 */
function untilLine(
  child: ChildProcess,
  pattern: RegExp,
  output: { text: string },
  { timeoutMs, what }: { timeoutMs: number; what: string },
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onOutput);
      child.stderr?.off('data', onOutput);
      child.off('exit', onEarlyExit);
      child.off('error', onError);
    };
    const fail = (message: string): void => {
      done();
      child.kill('SIGKILL');
      reject(new AppStartError(`${message}; output: ${output.text.trim() || '(none)'}`));
    };
    const timer = setTimeout(() => fail(`app did not ${what} within ${timeoutMs} ms`), timeoutMs);
    // The collector startChild attached runs first: `output.text` already holds this chunk.
    const onOutput = (): void => {
      const match = pattern.exec(output.text);
      if (!match) return;
      done();
      resolve(match);
    };
    const onEarlyExit = (code: number | null): void =>
      fail(`app exited with code ${code} before it could ${what}`);
    const onError = (error: Error): void => fail(`cannot spawn the app: ${error.message}`);
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', onEarlyExit);
    child.once('error', onError);
  });
}

/** Spawns the app, collecting everything it prints (stdout and stderr) into `output` for good. */
function startChild(args: string[], detached: boolean, output: { text: string }): ChildProcess {
  const child = spawn(process.execPath, [CLI_PATH, 'app', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached,
  });
  const collect = (chunk: Buffer): void => {
    output.text += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return child;
}

async function listening(
  child: ChildProcess,
  output: { text: string },
  timeoutMs: number,
): Promise<SpawnedApp> {
  const match = await untilLine(child, LISTENING_LINE, output, { timeoutMs, what: 'listen' });
  const [, , url = '', instanceId = '', privateIp = '', pid = ''] = match;
  return { child, url, instanceId, privateIp, pid: Number(pid), output: () => output.text };
}

/**
 * Spawns `scalelab app …` as its own process and resolves once it prints its listening line.
 * stdin stays a pipe, so with `--exit-on-stdin-close` the app dies with its parent.
 * `detached` puts it in its own process group, so the caller can end it with everything it started.
 */
export function spawnApp(args: string[], { timeoutMs = 10_000, detached = false } = {}): Promise<SpawnedApp> {
  const output = { text: '' };
  return listening(startChild(args, detached, output), output, timeoutMs);
}

/**
 * Spawns `scalelab app … --wait-for-go` and resolves once it has loaded (its ready line): what
 * takes real time (a Node.js process starting, its modules loading) is done, and binding, which
 * takes a moment, is left for {@link LoadedApp.listen}.
 */
export async function loadApp(
  args: string[],
  { timeoutMs = 10_000, detached = false } = {},
): Promise<LoadedApp> {
  const output = { text: '' };
  const child = startChild([...args, '--wait-for-go'], detached, output);
  await untilLine(child, READY_LINE, output, { timeoutMs, what: 'load' });
  return {
    child,
    listen({ timeoutMs: listenMs = timeoutMs } = {}) {
      const bound = listening(child, output, listenMs);
      child.stdin?.write(GO_LINE);
      return bound;
    },
  };
}
