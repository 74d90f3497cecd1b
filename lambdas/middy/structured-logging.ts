import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/** Where log lines go: stdout on Lambda (CloudWatch Logs reads JSON lines), anything in tests. */
export type LogSink = (line: string) => void;

/** The sink every handler uses unless told otherwise: one line on stdout. */
export function stdoutLog(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface StructuredLoggingOptions {
  step: string;
  log?: LogSink;
  now?: () => number;
}

function executionOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const id = (event as Record<string, unknown>).executionId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * One JSON line when a step starts, succeeds or fails, with the step, the request id and the
 * execution, so a run can be followed across handlers in one log query.
 */
export function structuredLogging(
  options: StructuredLoggingOptions,
): MiddlewareObj<unknown, unknown, Error, Context> {
  const log = options.log ?? stdoutLog;
  const now = options.now ?? Date.now;
  let startedAt = 0;

  function write(level: string, message: string, request: { event: unknown; context: Context }, extra = {}) {
    log(
      JSON.stringify({
        level,
        step: options.step,
        message,
        requestId: request.context.awsRequestId,
        executionId: executionOf(request.event),
        ...extra,
      }),
    );
  }

  return {
    name: 'structuredLogging',
    before: function logStart(request) {
      startedAt = now();
      write('info', 'step started', request);
    },
    after: function logSuccess(request) {
      write('info', 'step succeeded', request, { durationMs: now() - startedAt });
    },
    onError: function logFailure(request) {
      const error = request.error;
      write('error', 'step failed', request, {
        durationMs: now() - startedAt,
        error: { name: error?.name, message: error?.message },
      });
    },
  };
}
