import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Cloud } from '../cloud/cloud.js';

/** A Cloud, or how to get one (built once, on first use: a cold start, not every invocation). */
export type CloudProvider = Cloud | (() => Cloud | Promise<Cloud>);

/** The Lambda context with the Cloud adapter the handler uses. */
export interface CloudContext extends Context {
  cloud: Cloud;
}

/**
 * Puts the Cloud adapter on `context.cloud`: the aws adapter on Lambda, the local one in the
 * local cloud, a fake in tests. The same wrapper runs in all three.
 */
export function injectCloud(provider: CloudProvider): MiddlewareObj<unknown, unknown, Error, Context> {
  let cloud: Promise<Cloud> | undefined;
  return {
    name: 'injectCloud',
    before: async function attachCloud(request) {
      cloud ??= Promise.resolve(typeof provider === 'function' ? provider() : provider);
      // A failed build (missing environment) must not be cached: the next invocation retries.
      cloud.catch(function forget() {
        cloud = undefined;
      });
      Object.assign(request.context, { cloud: await cloud });
    },
  };
}
