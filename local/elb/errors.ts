/**
 * Errors of the local ELBv2 service. Each `name` is the error code the real ELBv2 API returns, so
 * code written against the AWS SDK (and ASL Retry/Catch on error names) behaves the same locally.
 */
export class ElbError extends Error {
  override name = 'ElbError';
}

/** A parameter is missing, malformed or outside AWS's allowed range. */
export class ValidationError extends ElbError {
  override name = 'ValidationError';
}

export class DuplicateLoadBalancerNameException extends ElbError {
  override name = 'DuplicateLoadBalancerNameException';
}

export class DuplicateTargetGroupNameException extends ElbError {
  override name = 'DuplicateTargetGroupNameException';
}

/** The load balancer already has a listener (one listener per local load balancer: it owns one port). */
export class DuplicateListenerException extends ElbError {
  override name = 'DuplicateListenerException';
}

/** The target group does not belong to this service or was deleted. */
export class TargetGroupNotFoundException extends ElbError {
  override name = 'TargetGroupNotFoundException';
}

/** The target group is already used by another load balancer (AWS allows one per target group). */
export class TargetGroupAssociationLimitException extends ElbError {
  override name = 'TargetGroupAssociationLimitException';
}

/** The load balancer does not belong to this service or was deleted. */
export class LoadBalancerNotFoundException extends ElbError {
  override name = 'LoadBalancerNotFoundException';
}

/** A target's address is not a loopback address, or its id is empty. */
export class InvalidTargetException extends ElbError {
  override name = 'InvalidTargetException';
}

/** The load balancer could not listen (e.g. the port is in use); `cause` holds the system error. */
export class LoadBalancerListenError extends ElbError {
  override name = 'LoadBalancerListenError';
}

/** The service was closed; no further calls are accepted. */
export class ElbClosedError extends ElbError {
  override name = 'ElbClosedError';
}

/** The target did not connect in time or went idle past the idle timeout: the proxy answers 504. */
export class TargetTimeoutError extends ElbError {
  override name = 'TargetTimeoutError';
}
