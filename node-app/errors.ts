/** An error that becomes an HTTP response: its status, a stable machine-readable code and a message. */
export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The instance metadata service (IMDSv2) did not answer as expected. */
export class MetadataError extends Error {
  override name = 'MetadataError';
}
