import { stepHandler } from '../middy/handler.js';
import { onScalingEventStep } from './core.js';

/** The EventBridge target for Auto Scaling events, wrapped for Lambda or the local cloud. */
export const { create: createOnScalingEventHandler, handler } = stepHandler(onScalingEventStep);
