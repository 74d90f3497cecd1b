/**
 * Errors of the query protocols (AWS query and EC2 query), carrying the code and HTTP status AWS
 * answers with; the handler writes them in the service's error shape.
 */
export class QueryError extends Error {
  override name = 'QueryError';

  constructor(
    /** AWS's error code, e.g. `InvalidAction`, `ValidationError`, `InvalidInstanceID.NotFound`. */
    readonly code: string,
    message: string,
    /** The HTTP status AWS answers this error with. */
    readonly statusCode = 400,
  ) {
    super(message);
  }

  /** `Receiver` for the service's own failures (5xx), `Sender` for the caller's mistakes. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

/** The body is not valid `application/x-www-form-urlencoded` (AWS's common error, status 404). */
export function malformedQueryString(message: string): QueryError {
  return new QueryError('MalformedQueryString', message, 404);
}

/** Keys that mix a value and nested members, e.g. `InstanceId=a&InstanceId.1=b`. */
export function invalidQueryParameter(message: string): QueryError {
  return new QueryError('InvalidQueryParameter', message);
}

/** No `Action` parameter. */
export function missingAction(): QueryError {
  return new QueryError('MissingAction', 'The request must contain the parameter Action');
}

/** An `Action` this endpoint does not serve for the service (or a service it does not serve). */
export function invalidAction(message: string): QueryError {
  return new QueryError('InvalidAction', message);
}

/** Anything the endpoint did not expect: AWS's 500 with `InternalFailure`. */
export function internalFailure(): QueryError {
  return new QueryError('InternalFailure', 'The local endpoint failed to process the request', 500);
}
