/** Members every EC2 describe call shares: DryRun, and NextToken's error. */
import { QueryError } from './query/errors.js';
import type { QueryParams } from './query/params.js';

/** `DryRun=true`: EC2's DryRunOperation (412) once the request was found valid. */
export function dryRun(params: QueryParams): void {
  if (params.boolean('DryRun')) {
    throw new QueryError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  }
}

export function invalidPaginationToken(): QueryError {
  return new QueryError(
    'InvalidPaginationToken',
    'The specified pagination token is not valid or is expired.',
  );
}
