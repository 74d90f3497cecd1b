/**
 * Errors of the AWS JSON protocol layer, named as the error codes AWS answers with, so the
 * server can put `name` into `__type` unchanged (as it does for the services' own errors).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  /** The HTTP status AWS answers this error with. */
  readonly statusCode: number = 400;
}

/** The body is not JSON, or a member has the wrong JSON type. */
export class SerializationException extends ApiError {
  override name = 'SerializationException';
}

/** `X-Amz-Target` is missing or names an operation this endpoint does not have. */
export class UnknownOperationException extends ApiError {
  override name = 'UnknownOperationException';
}

/** A member breaks a constraint of the API model (missing, out of range). */
export class ValidationException extends ApiError {
  override name = 'ValidationException';
}

/** The request body is larger than AWS accepts. */
export class RequestEntityTooLarge extends ApiError {
  override name = 'RequestEntityTooLargeException';
  override readonly statusCode = 413;
}

/** Anything the endpoint did not expect: AWS's 500 with `InternalFailure`. */
export class InternalFailure extends ApiError {
  override name = 'InternalFailure';
  override readonly statusCode = 500;
}
