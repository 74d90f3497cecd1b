import { stepHandler } from '../middy/handler.js';
import { verifyLoadBalancingStep } from './core.js';

/** The verify-load-balancing step wrapped for Lambda or the local cloud. */
export const { create: createVerifyLoadBalancingHandler, handler } = stepHandler(verifyLoadBalancingStep);
