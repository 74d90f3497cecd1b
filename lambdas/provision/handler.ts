import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseProvisionInput, run } from './core.js';

/** The provision step wrapped for Lambda or the local cloud. */
export function createProvisionHandler(options?: HandlerOptions) {
  return labHandler(
    { step: 'provision', parse: parseProvisionInput, run, keepErrors: ['InvalidLabConfig'] },
    options,
  );
}

export const handler = createProvisionHandler();
