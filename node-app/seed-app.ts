import type { Polka } from 'polka';
import { HttpError } from './errors.js';
import { isJsonObject, readJsonBody, sendText } from './http.js';
import { createInstanceApp } from './instance-app.js';

function parseSeed(body: unknown): number {
  if (!isJsonObject(body) || !('num' in body)) {
    throw new HttpError(
      400,
      'MissingNum',
      'body must be a JSON object with an integer "num", e.g. {"num": 100}',
    );
  }
  const { num } = body;
  if (typeof num !== 'number' || !Number.isSafeInteger(num)) {
    throw new HttpError(
      400,
      'InvalidNum',
      `"num" must be an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(num)}`,
    );
  }
  return num;
}

/**
 * The seed app of the lab's section 1: `GET /` returns the seed as text, `POST /` with
 * `{"num": N}` sets it. Each instance holds its own seed, exactly as the original Flask app did.
 */
export function createSeedApp({
  instanceId,
  initialSeed = 0,
}: {
  instanceId: string;
  initialSeed?: number;
}): Polka {
  let seed = initialSeed;
  return createInstanceApp(instanceId, { '/': ['GET', 'HEAD', 'POST'] })
    .get('/', (_req, res) => sendText(res, 200, String(seed)))
    .post('/', async (req, res) => {
      // Parse fully before assigning: a bad request never touches the seed, and the assignment
      // itself is one synchronous step, so concurrent POSTs cannot interleave inside it.
      const next = parseSeed(await readJsonBody(req));
      seed = next;
      sendText(res, 200, String(next));
    });
}
