import { type HandlerOptions, labHandler } from '../shared/handler.js';
import { parseScalingEvent, run } from './core.js';

/** The EventBridge target for Auto Scaling events, wrapped for Lambda or the local cloud. */
export function createOnScalingEventHandler(options?: HandlerOptions) {
  return labHandler(
    { step: 'on-scaling-event', parse: parseScalingEvent, run, announcesPhase: false },
    options,
  );
}

export const handler = createOnScalingEventHandler();
