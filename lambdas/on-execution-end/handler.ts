import { stepHandler } from '../middy/handler.js';
import { onExecutionEndStep } from './core.js';

/** The EventBridge target for the lab workflow's status changes, wrapped for Lambda or the local cloud. */
export const { create: createOnExecutionEndHandler, handler } = stepHandler(onExecutionEndStep);
