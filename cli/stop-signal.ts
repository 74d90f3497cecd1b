/** A promise for the first SIGINT / SIGTERM, and a way to stop listening once done. */
export interface StopSignal {
  signal: Promise<string>;
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM from now on, so a Ctrl-C at any moment (even while things are
 * still starting) leads to an orderly teardown instead of Node's default immediate exit.
 */
export function untilStopSignal(): StopSignal {
  let resolve: (reason: string) => void = () => undefined;
  const signal = new Promise<string>((done) => {
    resolve = done;
  });
  const onSigint = (): void => resolve('SIGINT');
  const onSigterm = (): void => resolve('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return {
    signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}
