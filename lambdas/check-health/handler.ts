import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseCheckHealthInput, run } from './core.js';

/** The check-health step wrapped for Lambda or the local cloud. */
export function createCheckHealthHandler(options?: HandlerOptions) {
  return labHandler(
    { step: 'check-health', parse: parseCheckHealthInput, run, keepErrors: ['InvalidLabConfig'] },
    options,
  );
}

export const handler = createCheckHealthHandler();
