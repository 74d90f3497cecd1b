/** Errors of the operator commands; each prints as one line and exits 1. */

/** An AWS API call failed: the message is `<ErrorCode>: <message>`, as AWS names it. */
export class AwsCallFailed extends Error {
  override name = 'AwsCallFailed';
}

/** Nothing answers at the endpoint (no `scalelab serve` running, wrong port). */
export class EndpointUnreachable extends Error {
  override name = 'EndpointUnreachable';
}

/** `--follow` gave up waiting before the execution ended (the execution keeps running). */
export class FollowTimedOut extends Error {
  override name = 'FollowTimedOut';
}

/** `stop` of an execution that has already ended: AWS's API would not say so, the command does. */
export class ExecutionNotRunning extends Error {
  override name = 'ExecutionNotRunning';
}

function isServiceException(error: unknown): error is Error & { $metadata: object } {
  return error instanceof Error && '$metadata' in error && typeof error.$metadata === 'object';
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH';
}

/**
 * Runs one AWS call and turns its failure into an error that prints as AWS names it; every call
 * of the commands goes through here, so the local endpoint and AWS fail the same way.
 */
export async function awsCall<T>(where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // Checked first: the SDK puts $metadata on network errors too.
    if (isConnectionRefused(error)) {
      throw new EndpointUnreachable(`cannot reach ${where} (is \`scalelab serve\` running?)`, {
        cause: error,
      });
    }
    if (isServiceException(error))
      throw new AwsCallFailed(`${error.name}: ${error.message}`, { cause: error });
    throw error;
  }
}
