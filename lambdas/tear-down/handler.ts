import { stepHandler } from '../middy/handler.js';
import { tearDownStep } from './core.js';

/** The tear-down step wrapped for Lambda or the local cloud. */
export const { create: createTearDownHandler, handler } = stepHandler(tearDownStep);
