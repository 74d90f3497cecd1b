/**
 * CloudWatch's modelled errors. CloudWatch is "awsQueryCompatible": over JSON and CBOR it names
 * an error by its Smithy shape in `__type` and by its old query code in the
 * `x-amzn-query-error: <Code>;<Sender|Receiver>` header, which the SDK and the AWS CLI read to
 * report the query code (`InvalidParameterValue`, `MissingParameter`, …).
 */
import { ApiError } from './errors.js';

const SHAPE_NAMESPACE = 'com.amazonaws.cloudwatch';

export abstract class CloudWatchError extends ApiError {
  /** The code the query protocol used for this error, sent in `x-amzn-query-error`. */
  abstract readonly queryCode: string;

  /** The Smithy shape ID AWS puts in `__type`. */
  get shapeId(): string {
    return `${SHAPE_NAMESPACE}#${this.name}`;
  }
}

/** A parameter has a value CloudWatch refuses (or the local endpoint does not support). */
export class InvalidParameterValueException extends CloudWatchError {
  override name = 'InvalidParameterValueException';
  readonly queryCode = 'InvalidParameterValue';
}

/** A required parameter is missing. */
export class MissingRequiredParameterException extends CloudWatchError {
  override name = 'MissingRequiredParameterException';
  readonly queryCode = 'MissingParameter';
}

/** Parameters that cannot be used together, or a request for too many datapoints. */
export class InvalidParameterCombinationException extends CloudWatchError {
  override name = 'InvalidParameterCombinationException';
  readonly queryCode = 'InvalidParameterCombination';
}

/** A NextToken this endpoint did not hand out. */
export class InvalidNextToken extends CloudWatchError {
  override name = 'InvalidNextToken';
  readonly queryCode = 'InvalidNextToken';
}
