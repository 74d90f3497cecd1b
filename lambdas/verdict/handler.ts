import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseVerdictInput, run } from './core.js';

/** The verdict step wrapped for Lambda or the local cloud. */
export function createVerdictHandler(options?: HandlerOptions) {
  return labHandler({ step: 'verdict', parse: parseVerdictInput, run }, options);
}

export const handler = createVerdictHandler();
