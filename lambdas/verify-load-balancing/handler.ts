import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseVerifyInput, run } from './core.js';

/** The verify-load-balancing step wrapped for Lambda or the local cloud. */
export function createVerifyLoadBalancingHandler(options?: HandlerOptions) {
  return labHandler(
    { step: 'verify-load-balancing', parse: parseVerifyInput, run, keepErrors: ['InvalidLabConfig'] },
    options,
  );
}

export const handler = createVerifyLoadBalancingHandler();
