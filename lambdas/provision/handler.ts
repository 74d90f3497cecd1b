import { stepHandler } from '../middy/handler.js';
import { provisionStep } from './core.js';

/** The provision step wrapped for Lambda or the local cloud. */
export const { create: createProvisionHandler, handler } = stepHandler(provisionStep);
