import type { Polka } from 'polka';
import { readJsonBody, sendJson, sendText } from './http.js';
import { createInstanceApp } from './instance-app.js';
import type { StressManager } from './stress/stress-manager.js';
import { parseStressRequest } from './stress/stress-request.js';

export interface ServeAppOptions {
  instanceId: string;
  privateIp: string;
  stress: StressManager;
}

/**
 * The serve app of the lab's section 2: `GET /` returns the instance's private IP, `POST /`
 * starts bounded CPU stress in separate processes and answers 202 once they burn, `GET /stress` lists it.
 */
export function createServeApp({ instanceId, privateIp, stress }: ServeAppOptions): Polka {
  return createInstanceApp(instanceId, { '/': ['GET', 'HEAD', 'POST'], '/stress': ['GET', 'HEAD'] })
    .get('/', (_req, res) => sendText(res, 200, privateIp))
    .post('/', async (req, res) => {
      const request = parseStressRequest(await readJsonBody(req, { optional: true }));
      sendJson(res, 202, await stress.start(request));
    })
    .get('/stress', (_req, res) => sendJson(res, 200, { running: stress.list() }));
}
