/** A promise for the first SIGINT / SIGTERM (or stdin or stdout closing), and a way to stop listening once done. */
export interface StopSignal {
  signal: Promise<string>;
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM from now on, so a Ctrl-C at any moment (even while things are
 * still starting) leads to an orderly teardown instead of Node's default immediate exit. With
 * `stdinClose`, the end of stdin counts too: a parent holding the pipe died, even by SIGKILL.
 * An error on stdout (its reader went away) always counts.
 */
export function untilStopSignal({ stdinClose = false } = {}): StopSignal {
  let resolve: (reason: string) => void = () => undefined;
  const signal = new Promise<string>((done) => {
    resolve = done;
  });
  const onSigint = (): void => resolve('SIGINT');
  const onSigterm = (): void => resolve('SIGTERM');
  const onStdinClose = (): void => resolve('stdin closed');
  // A reader that went away (`scalelab up | head`) is a stop too, not an EPIPE crash that would
  // skip the teardown.
  let stdoutBroken = false;
  const onStdoutError = (): void => {
    stdoutBroken = true;
    resolve('stdout closed');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.stdout.on('error', onStdoutError);
  if (stdinClose) {
    process.stdin.once('end', onStdinClose).once('close', onStdinClose).resume();
  }
  return {
    signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      process.stdout.off('error', onStdoutError);
      // A late write to a closed stdout must not crash the process's last steps.
      if (stdoutBroken) process.stdout.on('error', () => undefined);
      if (stdinClose) process.stdin.destroy();
    },
  };
}
