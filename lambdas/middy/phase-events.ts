import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { PHASE_EVENT_TYPE } from '../../lab/events.js';
import type { Cloud } from '../cloud/cloud.js';
import type { LogSink } from './structured-logging.js';

function field(event: unknown, name: string): unknown {
  return typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[name] : undefined;
}

/**
 * Puts a "Lab Phase Changed" event when a step starts (for Slack and the live progress view).
 * A notification that cannot be delivered is logged, not thrown: the lab must not fail, or
 * skip its tear-down, because a notification was lost.
 */
export function phaseEvents(step: string, log: LogSink): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    name: 'phaseEvents',
    before: async function announce(request) {
      const cloud = (request.context as Context & { cloud: Cloud }).cloud;
      const detail = {
        phase: step,
        executionId: field(request.event, 'executionId'),
        executionName: field(request.event, 'executionName'),
        at: new Date(cloud.now()).toISOString(),
      };
      try {
        await cloud.putEvents([{ detailType: PHASE_EVENT_TYPE, detail }]);
      } catch (error) {
        log(
          JSON.stringify({ level: 'warn', step, message: 'phase event not delivered', error: String(error) }),
        );
      }
    },
  };
}
