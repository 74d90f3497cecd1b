import { HttpError } from '../errors.js';
import { isJsonObject } from '../http.js';

/** What one `POST /` on the serve app asks for. */
export interface StressRequest {
  /** How long the stress lasts, in the app's (possibly simulated) seconds. */
  seconds: number;
  /** How many separate worker processes burn CPU. */
  workers: number;
  /** Target CPU load of each worker, in percent of one core. */
  load: number;
}

/** Defaults: one worker at full load for one (simulated) minute, like a plain `stress-ng --cpu 1`. */
export const STRESS_DEFAULTS: StressRequest = { seconds: 60, workers: 1, load: 100 };

/** Inclusive bounds; every stress ends by itself, and one request cannot fork more than a few processes. */
export const STRESS_BOUNDS = {
  seconds: { min: 1, max: 3600 },
  workers: { min: 1, max: 4 },
  load: { min: 1, max: 100 },
} as const;

type Field = keyof StressRequest;

function parseField(body: Record<string, unknown>, field: Field): number {
  const value = body[field];
  if (value === undefined) return STRESS_DEFAULTS[field];
  const { min, max } = STRESS_BOUNDS[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(
      400,
      'InvalidStress',
      `"${field}" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Validates an optional stress body; unknown fields are refused so a typo never passes silently. */
export function parseStressRequest(body: unknown): StressRequest {
  if (body === undefined) return { ...STRESS_DEFAULTS };
  if (!isJsonObject(body)) {
    throw new HttpError(
      400,
      'InvalidStress',
      'body must be a JSON object like {"seconds": 60, "workers": 1, "load": 100}',
    );
  }
  const unknown = Object.keys(body).filter((key) => !(key in STRESS_DEFAULTS));
  if (unknown.length > 0) {
    throw new HttpError(
      400,
      'InvalidStress',
      `unknown field(s) ${unknown.join(', ')}; allowed: seconds, workers, load`,
    );
  }
  return {
    seconds: parseField(body, 'seconds'),
    workers: parseField(body, 'workers'),
    load: parseField(body, 'load'),
  };
}
