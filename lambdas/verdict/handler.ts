import { stepHandler } from '../middy/handler.js';
import { verdictStep } from './core.js';

/** The verdict step wrapped for Lambda or the local cloud. */
export const { create: createVerdictHandler, handler } = stepHandler(verdictStep);
