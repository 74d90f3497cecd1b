/**
 * scalelab's own operations that need nothing but the local engine (`ScalelabLocal.<Op>`, not
 * AWS APIs): what the AWS-shaped operations cannot say because AWS has no member for it.
 */
import type { LocalStepFunctions } from '../stepfunctions/index.js';
import { ValidationException } from './errors.js';
import { checkMembers } from './members.js';
import type { Operation } from './stepfunctions-operations.js';

/** At most this many ARNs per call, as ListExecutions pages at most 1000. */
const MAX_ARNS = 1000;

/**
 * `ListExecutionRealDates`: `{executionArns}` → `{executions: [{executionArn, realStartDate,
 * realStopDate}]}`, the wall-clock dates next to the simulated ones every AWS member carries, so
 * `scalelab list` shows when a run really started. An unknown ARN is ExecutionDoesNotExist.
 */
export function engineOperations(stepFunctions: LocalStepFunctions): Record<string, Operation> {
  return {
    ListExecutionRealDates(body) {
      checkMembers(body, { executionArns: { type: 'list', required: true } });
      const arns = body.executionArns as unknown[];
      if (arns.length > MAX_ARNS)
        throw new ValidationException(`executionArns holds ${arns.length} ARNs; at most ${MAX_ARNS}`);
      return {
        executions: arns.map((arn) => {
          if (typeof arn !== 'string')
            throw new ValidationException(`executionArns must hold strings, got ${JSON.stringify(arn)}`);
          return { executionArn: arn, ...stepFunctions.executionRealDates(arn) };
        }),
      };
    },
  };
}
