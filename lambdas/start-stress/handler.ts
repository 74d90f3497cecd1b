import { stepHandler } from '../middy/handler.js';
import { startStressStep } from './core.js';

/** The start-stress step wrapped for Lambda or the local cloud. */
export const { create: createStartStressHandler, handler } = stepHandler(startStressStep);
