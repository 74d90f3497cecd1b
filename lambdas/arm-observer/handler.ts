import { stepHandler } from '../middy/handler.js';
import { armObserverStep } from './core.js';

/** The arm-observer step wrapped for Lambda or the local cloud. */
export const { create: createArmObserverHandler, handler } = stepHandler(armObserverStep);
