import { stepHandler } from '../middy/handler.js';
import { checkHealthStep } from './core.js';

/** The check-health step wrapped for Lambda or the local cloud. */
export const { create: createCheckHealthHandler, handler } = stepHandler(checkHealthStep);
