import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseTearDownInput, run } from './core.js';

/** The tear-down step wrapped for Lambda or the local cloud. */
export function createTearDownHandler(options?: HandlerOptions) {
  return labHandler({ step: 'tear-down', parse: parseTearDownInput, run }, options);
}

export const handler = createTearDownHandler();
