/**
 * The thin Middy wrapper every handler shares: structured logging, Cloud injection, input
 * parsing at the boundary, a phase event, then the pure core. The same wrapper runs on Lambda
 * (aws adapter from the environment) and in the local cloud (an injected adapter).
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { LabConfig } from '../../lab/config.js';
import type { Cloud } from '../cloud/cloud.js';
import { holdTheLab } from '../lab-guard/hold.js';
import type { StepDefinition } from '../step.js';
import { cachedLookup } from './cached-lookup.js';
import { deployedConfigFromEnv } from './deployed-config.js';
import { type CloudProvider, injectCloud } from './inject-cloud.js';
import { operatorFetch } from './operator-fetch.js';
import { parseInput } from './parse-input.js';
import { phaseEvents } from './phase-events.js';
import { type LogSink, stdoutLog, structuredLogging } from './structured-logging.js';

/** How a handler is built; everything defaults to what Lambda needs. */
export interface HandlerOptions {
  cloud?: CloudProvider;
  log?: LogSink;
  fetch?: typeof fetch;
  /** The configuration the lab was built from; on Lambda read from the environment (deployed-config.ts). */
  deployedConfig?: LabConfig;
}

/** A handler as Lambda (and the local cloud) calls it. */
export type LabHandler<TOutput> = MiddyfiedHandler<unknown, TOutput, Error, Context>;

// Loaded on first use so local runs and tests never load the AWS SDK through a handler.
async function awsCloudFromEnvironment(): Promise<Cloud> {
  const { awsCloudFromEnv } = await import('../cloud/aws-cloud.js');
  return awsCloudFromEnv();
}

/** Wraps a step's core in the shared middlewares. */
export function labHandler<TInput, TOutput>(
  definition: StepDefinition<TInput, TOutput>,
  options: HandlerOptions = {},
): LabHandler<TOutput> {
  const log = options.log ?? stdoutLog;
  const fetchImpl = options.fetch ?? operatorFetch(globalThis.fetch);
  const deployedConfig = cachedLookup(function readDeployedConfig() {
    return options.deployedConfig ?? deployedConfigFromEnv();
  });
  const handler = middy<unknown, TOutput, Error, Context>()
    .use(structuredLogging({ step: definition.step, log }))
    .use(injectCloud(options.cloud ?? awsCloudFromEnvironment))
    .use(parseInput(definition.step, definition.parse));
  if (definition.announcesPhase !== false) handler.use(phaseEvents(definition.step, log));
  return handler.handler(async function runCore(_event, context) {
    const { cloud, input } = context as Context & { cloud: Cloud; input: TInput };
    const deps = { cloud, fetch: fetchImpl, deployedConfig: await deployedConfig() };
    if (definition.holdsLab) await holdTheLab(input, deps);
    return definition.run(input, deps);
  });
}

/** A step's handler factory and the handler Lambda loads (`handler`, built with the defaults). */
export function stepHandler<TInput, TOutput>(definition: StepDefinition<TInput, TOutput>) {
  const create = (options?: HandlerOptions): LabHandler<TOutput> => labHandler(definition, options);
  return { create, handler: create() };
}
