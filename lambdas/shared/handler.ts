/**
 * The thin Middy wrapper every handler shares: structured logging, Cloud injection, input
 * parsing at the boundary, a phase event, then the pure core. The same wrapper runs on Lambda
 * (aws adapter from the environment) and in the local cloud (an injected adapter).
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Cloud } from './cloud.js';
import { type CloudProvider, injectCloud } from './middleware/inject-cloud.js';
import { parseInput } from './middleware/parse-input.js';
import { phaseEvents } from './middleware/phase-events.js';
import { type LogSink, structuredLogging } from './middleware/structured-logging.js';

/** What a core may use besides its input. */
export interface StepDeps {
  cloud: Cloud;
  fetch: typeof fetch;
}

/** One step: its name, how to read its event, and its pure core. */
export interface StepDefinition<TInput, TOutput> {
  step: string;
  parse(event: unknown): TInput;
  run(input: TInput, deps: StepDeps): Promise<TOutput>;
  /** Error names the parser throws on purpose and that must reach the workflow unchanged. */
  keepErrors?: ReadonlyArray<string>;
  /** Workflow steps announce their phase; the scaling-event target does not. */
  announcesPhase?: boolean;
}

/** How a handler is built; everything defaults to what Lambda needs. */
export interface HandlerOptions {
  cloud?: CloudProvider;
  log?: LogSink;
  fetch?: typeof fetch;
}

/** A handler as Lambda (and the local cloud) calls it. */
export type LabHandler<TOutput> = MiddyfiedHandler<unknown, TOutput, Error, Context>;

// Loaded on first use so local runs and tests never load the AWS SDK through a handler.
async function awsCloudFromEnvironment(): Promise<Cloud> {
  const { awsCloudFromEnv } = await import('./aws-cloud.js');
  return awsCloudFromEnv();
}

function defaultLog(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Wraps a step's core in the shared middlewares. */
export function labHandler<TInput, TOutput>(
  definition: StepDefinition<TInput, TOutput>,
  options: HandlerOptions = {},
): LabHandler<TOutput> {
  const log = options.log ?? defaultLog;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const handler = middy<unknown, TOutput, Error, Context>()
    .use(structuredLogging({ step: definition.step, log }))
    .use(injectCloud(options.cloud ?? awsCloudFromEnvironment))
    .use(parseInput(definition.step, definition.parse, definition.keepErrors));
  if (definition.announcesPhase !== false) handler.use(phaseEvents(definition.step, log));
  return handler.handler(async function runCore(_event, context) {
    const { cloud, input } = context as Context & { cloud: Cloud; input: TInput };
    return definition.run(input, { cloud, fetch: fetchImpl });
  });
}
