/**
 * How the aws adapter reads SDK errors: throttling and 5xx answers become
 * {@link TransientCloudError} so the workflow's Retry can name them; anything else is rethrown.
 */
import { TransientCloudError } from '../../lab/workflow-errors.js';

/** Error names worth a retry besides any 5xx. */
const TRANSIENT_NAMES = new Set([
  // EC2 has no capacity for the type in that AZ right now; AWS's advice is to try again later.
  'InsufficientInstanceCapacity',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
  // Auto Scaling: "You already have a pending update to an Auto Scaling resource".
  'ResourceContentionFault',
]);

/** An SDK error's name (its AWS error code), '' for anything else. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** Rethrows an SDK error, as a TransientCloudError when a retry may help. */
export function rethrow(operation: string, error: unknown): never {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (TRANSIENT_NAMES.has(errorName(error)) || status >= 500) {
    throw new TransientCloudError(`${operation} failed: ${String(error)}`, { cause: error });
  }
  throw error;
}

/** Runs one SDK call `operation`, its failure rethrown as {@link rethrow} says. */
export async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    rethrow(operation, error);
  }
}
