import { stepHandler } from '../middy/handler.js';
import { validateStep } from './core.js';

/** The validate step wrapped for Lambda or the local cloud. */
export const { create: createValidateHandler, handler } = stepHandler(validateStep);
