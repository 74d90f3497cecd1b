import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseStartStressInput, run } from './core.js';

/** The start-stress step wrapped for Lambda or the local cloud. */
export function createStartStressHandler(options?: HandlerOptions) {
  return labHandler(
    { step: 'start-stress', parse: parseStartStressInput, run, keepErrors: ['InvalidLabConfig'] },
    options,
  );
}

export const handler = createStartStressHandler();
