import type { Polka } from 'polka';
import { HttpError } from './errors.js';
import { sendError } from './http.js';
import { createInstanceApp } from './instance-app.js';

/**
 * What a load balancer or the instance's user data sees of an app whose start failed behind a
 * server that runs: 503 to every request (`scalelab app … --fail-start`, a test option). The lab's
 * launch hook then abandons the instance, as on EC2.
 */
export function createFailedApp(instanceId: string): Polka {
  return createInstanceApp(instanceId, {}).use((_req, res) =>
    sendError(res, new HttpError(503, 'AppStartFailed', 'the app failed to start (--fail-start)')),
  );
}
