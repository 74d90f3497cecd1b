/**
 * The Step Functions operations the endpoint serves (`X-Amz-Target: AWSStepFunctions.<Op>`),
 * each a member check and a call to the local service with the same names and shapes.
 */
import type { LocalStepFunctions } from '../stepfunctions/index.js';
import { ValidationException } from './errors.js';
import { checkMembers, type MemberRules } from './members.js';

/** One operation: the parsed request body in, the response body (before wire encoding) out. */
export type Operation = (body: Record<string, unknown>) => unknown;

const ARN = { type: 'string', required: true } as const;
const TOKEN = { type: 'string', required: true } as const;
const PAGE = {
  maxResults: { type: 'integer', min: 0, max: 1000 },
  nextToken: { type: 'string' },
} as const;

const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** Members AWS defines that only matter for features the local service does not have. */
function refuseUnsupported(body: Record<string, unknown>, members: string[]): void {
  for (const member of members) {
    if (body[member] !== undefined && body[member] !== null) {
      throw new ValidationException(`The local endpoint does not support '${member}'`);
    }
  }
}

function checkStatusFilter(value: unknown): void {
  if (typeof value === 'string' && !EXECUTION_STATUSES.includes(value)) {
    throw new ValidationException(
      `1 validation error detected: Value '${value}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES.join(', ')}]`,
    );
  }
}

/** Drops the local-only fields of history events: on the wire the shape is AWS's alone. */
function awsHistoryEvent(event: Record<string, unknown>): Record<string, unknown> {
  const { realTimestamp: _real, localEventDetails: _local, ...aws } = event;
  return aws;
}

function withRules(rules: MemberRules, run: (body: Record<string, unknown>) => unknown): Operation {
  return function checkedOperation(body) {
    checkMembers(body, rules);
    return run(body);
  };
}

/** `AWSStepFunctions.*` operations by name, over one {@link LocalStepFunctions}. */
export function stepFunctionsOperations(sfn: LocalStepFunctions): Record<string, Operation> {
  const s = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const n = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  return {
    StartExecution: withRules(
      {
        stateMachineArn: ARN,
        name: { type: 'string' },
        input: { type: 'string' },
        traceHeader: { type: 'string' },
      },
      (b) =>
        sfn.startExecution({ stateMachineArn: s(b.stateMachineArn), name: s(b.name), input: s(b.input) }),
    ),
    DescribeExecution: withRules({ executionArn: ARN, includedData: { type: 'string' } }, (b) =>
      sfn.describeExecution({ executionArn: s(b.executionArn) }),
    ),
    ListExecutions: withRules(
      {
        stateMachineArn: { type: 'string' },
        statusFilter: { type: 'string' },
        mapRunArn: { type: 'string' },
        ...PAGE,
      },
      (b) => {
        refuseUnsupported(b, ['mapRunArn', 'redriveFilter']);
        // AWS needs a state machine (or a Map Run) to list; keeping that rule locally keeps the
        // CLI honest, since the same call goes to AWS.
        if (b.stateMachineArn === undefined) {
          throw new ValidationException('Must provide a StateMachine ARN or MapRun ARN');
        }
        checkStatusFilter(b.statusFilter);
        return sfn.listExecutions({
          stateMachineArn: s(b.stateMachineArn),
          statusFilter: s(b.statusFilter) as never,
          maxResults: n(b.maxResults),
          nextToken: s(b.nextToken),
        });
      },
    ),
    GetExecutionHistory: withRules(
      {
        executionArn: ARN,
        reverseOrder: { type: 'boolean' },
        includeExecutionData: { type: 'boolean' },
        ...PAGE,
      },
      (b) => {
        const page = sfn.getExecutionHistory({
          executionArn: s(b.executionArn),
          reverseOrder: b.reverseOrder === true,
          maxResults: n(b.maxResults),
          nextToken: s(b.nextToken),
        });
        return {
          ...page,
          events: page.events.map((e) => awsHistoryEvent(e as unknown as Record<string, unknown>)),
        };
      },
    ),
    StopExecution: withRules(
      { executionArn: ARN, error: { type: 'string' }, cause: { type: 'string' } },
      (b) => sfn.stopExecution({ executionArn: s(b.executionArn), error: s(b.error), cause: s(b.cause) }),
    ),
    RedriveExecution: withRules({ executionArn: ARN, clientToken: { type: 'string' } }, (b) =>
      sfn.redriveExecution({ executionArn: s(b.executionArn) }),
    ),
    SendTaskSuccess: withRules({ taskToken: TOKEN, output: { type: 'string', required: true } }, (b) =>
      sfn.sendTaskSuccess({ taskToken: s(b.taskToken), output: s(b.output) }),
    ),
    SendTaskFailure: withRules(
      { taskToken: TOKEN, error: { type: 'string' }, cause: { type: 'string' } },
      (b) => sfn.sendTaskFailure({ taskToken: s(b.taskToken), error: s(b.error), cause: s(b.cause) }),
    ),
    SendTaskHeartbeat: withRules({ taskToken: TOKEN }, (b) =>
      sfn.sendTaskHeartbeat({ taskToken: s(b.taskToken) }),
    ),
    ListStateMachines: withRules(PAGE, (b) =>
      sfn.listStateMachines({ maxResults: n(b.maxResults), nextToken: s(b.nextToken) }),
    ),
    DescribeStateMachine: withRules({ stateMachineArn: ARN, includedData: { type: 'string' } }, (b) =>
      sfn.describeStateMachine({ stateMachineArn: s(b.stateMachineArn) }),
    ),
  };
}
