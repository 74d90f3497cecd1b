import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Cloud } from '../cloud/cloud.js';
import { cachedLookup } from './cached-lookup.js';

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
  // A failed build (missing environment) is not kept: the next invocation retries.
  const cloud = cachedLookup(function buildCloud() {
    return typeof provider === 'function' ? provider() : provider;
  });
  return {
    name: 'injectCloud',
    before: async function attachCloud(request) {
      Object.assign(request.context, { cloud: await cloud() });
    },
  };
}
