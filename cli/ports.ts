import { createServer } from 'node:net';
import { UsageError } from './usage-error.js';

/** Fails with a usage error naming the port when something already listens on host:port. */
export async function assertPortFree(host: string, port: number, what: string): Promise<void> {
  if (port === 0) return;
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const probe = createServer();
    probe.once('error', resolve);
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
  if (error)
    throw new UsageError(
      `${what} port ${host}:${port} is not available (${error.code ?? error.message}); pick another with --${what}-port`,
    );
}
