import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseValidateInput, run } from './core.js';

/** The validate step wrapped for Lambda or the local cloud. */
export function createValidateHandler(options?: HandlerOptions) {
  return labHandler({ step: 'validate', parse: parseValidateInput, run }, options);
}

export const handler = createValidateHandler();
