import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseArmObserverInput, run } from './core.js';

/** The arm-observer step wrapped for Lambda or the local cloud. */
export function createArmObserverHandler(options?: HandlerOptions) {
  return labHandler(
    { step: 'arm-observer', parse: parseArmObserverInput, run, keepErrors: ['InvalidLabConfig'] },
    options,
  );
}

export const handler = createArmObserverHandler();
