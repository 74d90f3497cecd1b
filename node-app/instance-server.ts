import type { AddressInfo, Server } from 'node:net';
import { createFailedApp } from './failed-app.js';
import { type IdentityOptions, resolveIdentity } from './identity.js';
import { createSeedApp } from './seed-app.js';
import { createServeApp } from './serve-app.js';
import { StressManager } from './stress/stress-manager.js';

export const APP_NAMES = ['seed', 'serve'] as const;
export type AppName = (typeof APP_NAMES)[number];

export interface InstanceServerOptions extends IdentityOptions {
  app: AppName;
  port: number;
  /** App seconds per real second for stress lengths (the local cloud's time scale). */
  timeScale?: number | undefined;
  /** Host core per vCPU for stress workers (1 on EC2; see StressManagerOptions.cpuShare). */
  cpuShare?: number | undefined;
  /** Stress workers share the app's stdin and exit when it closes (see StressManagerOptions). */
  workersExitOnStdinClose?: boolean | undefined;
  /** The local cloud's held-clock file stress deadlines follow (see StressManagerOptions). */
  heldClockFile?: string | undefined;
  /** For tests: answer every request 503, as an app whose start failed (`--fail-start`). */
  failStart?: boolean | undefined;
}

export interface RunningInstanceServer {
  app: AppName;
  url: string;
  instanceId: string;
  privateIp: string;
  /** Stops accepting connections, ends stress processes, and resolves when everything is closed. */
  close(): Promise<void>;
}

/** In-flight requests get this long to finish on shutdown before their connections are cut. */
const SHUTDOWN_GRACE_MS = 1_000;

/** Polka's listen() has no error callback: binding errors arrive as the server's 'error' event. */
function listening(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`)));
    server.once('listening', () => resolve(server.address() as AddressInfo));
  });
}

function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections?.(), SHUTDOWN_GRACE_MS);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    (server as Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
}

function urlOf({ address, port, family }: AddressInfo): string {
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/** Starts the seed app or the serve app on `host:port` (port 0 = any free port). */
export async function startInstanceServer(options: InstanceServerOptions): Promise<RunningInstanceServer> {
  const identity = await resolveIdentity(options);
  const stress = new StressManager({
    timeScale: options.timeScale ?? 1,
    cpuShare: options.cpuShare ?? 1,
    exitOnStdinClose: options.workersExitOnStdinClose ?? false,
    heldClockFile: options.heldClockFile,
  });
  const app = options.failStart
    ? createFailedApp(identity.instanceId)
    : options.app === 'seed'
      ? createSeedApp({ instanceId: identity.instanceId })
      : createServeApp({ ...identity, stress });
  app.listen({ port: options.port, host: options.host });
  const server = app.server;
  const address = await listening(server, options.port, options.host);
  return {
    app: options.app,
    url: urlOf(address),
    ...identity,
    close: async () => {
      await Promise.all([closeServer(server), stress.stopAll()]);
    },
  };
}
