/** Thrown when an event pattern breaks AWS's rules; the message names the offending part. */
export class InvalidEventPatternError extends Error {
  override name = 'InvalidEventPatternError';
}

/** A request-level PutEvents problem (AWS answers these with a ValidationException). */
export class PutEventsValidationError extends Error {
  override name = 'PutEventsValidationError';
}

/** A rule or target name that AWS would refuse, or a bad retry policy. */
export class EventBusValidationError extends Error {
  override name = 'EventBusValidationError';
}

/** AWS's ResourceNotFoundException: the named rule does not exist on this bus. */
export class RuleNotFoundError extends Error {
  override name = 'RuleNotFoundError';
}

/** The bus was closed: nothing can be put on it any more. */
export class EventBusClosedError extends Error {
  override name = 'EventBusClosedError';
}

/** A target did not settle within the attempt timeout; counted as a failed attempt. */
export class DeliveryTimeoutError extends Error {
  override name = 'DeliveryTimeoutError';
}
