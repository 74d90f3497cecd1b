import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Endpoint, rawRequest, rejection, startEndpoint } from './harness.js';

const MISSING = 'arn:aws:states:us-east-1:000000000000:execution:cool-down:nope';

describe('AWS error codes from the local endpoint', () => {
  let e: Endpoint;
  let stateMachineArn: string;
  beforeAll(async () => {
    e = await startEndpoint(1000);
    stateMachineArn = e.machine('cool-down', { StepFunctionArn: async (event) => event });
  });
  afterAll(async () => {
    await e.close();
  });

  it.each([
    [
      'an unknown execution',
      (c: SFNClient) => c.send(new DescribeExecutionCommand({ executionArn: MISSING })),
      'ExecutionDoesNotExist',
      `Execution Does Not Exist: '${MISSING}'`,
    ],
    [
      'a malformed ARN',
      (c: SFNClient) => c.send(new DescribeExecutionCommand({ executionArn: 'arn:nope' })),
      'InvalidArn',
      /Invalid Arn/,
    ],
    [
      'an unknown state machine',
      (c: SFNClient) =>
        c.send(
          new DescribeStateMachineCommand({
            stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ghost',
          }),
        ),
      'StateMachineDoesNotExist',
      /State Machine Does Not Exist/,
    ],
    [
      'a bad execution name',
      (c: SFNClient) => c.send(new StartExecutionCommand({ stateMachineArn, name: 'has space' })),
      'InvalidName',
      /Invalid Name: 'has space'/,
    ],
    [
      'input that is not JSON',
      (c: SFNClient) => c.send(new StartExecutionCommand({ stateMachineArn, input: '{nope' })),
      'InvalidExecutionInput',
      /Invalid Execution Input/,
    ],
    [
      'a bad page token',
      (c: SFNClient) => c.send(new ListStateMachinesCommand({ nextToken: 'garbage' })),
      'InvalidToken',
      "Invalid Token: 'garbage'",
    ],
    [
      'a spent task token',
      (c: SFNClient) => c.send(new SendTaskSuccessCommand({ taskToken: 'AAAA', output: '{}' })),
      'InvalidToken',
      /./,
    ],
    [
      'listing without a state machine',
      (c: SFNClient) => c.send(new ListExecutionsCommand({})),
      'ValidationException',
      'Must provide a StateMachine ARN or MapRun ARN',
    ],
    [
      'a status that does not exist',
      (c: SFNClient) => c.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'DONE' as never })),
      'ValidationException',
      /Member must satisfy enum value set/,
    ],
    [
      'maxResults over 1000',
      (c: SFNClient) => c.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1001 })),
      'ValidationException',
      /less than or equal to 1000/,
    ],
  ])('%s', async (_what, command, code, message) => {
    const error = await rejection(command(e.sfn));
    expect(error.name).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.$fault).toBe('client');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('refuses to redrive an execution that succeeded', async () => {
    const { executionArn } = await e.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'done' }));
    await e.service.whenSettled(executionArn ?? '');

    const error = await rejection(e.sfn.send(new RedriveExecutionCommand({ executionArn })));

    expect(error.name).toBe('ExecutionNotRedrivable');
    expect(error.message).toMatch(/is SUCCEEDED/);
  });

  it('reuses an execution name only with the same input while it runs', async () => {
    const { executionArn } = await e.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'once' }));
    await e.service.whenSettled(executionArn ?? '');

    const error = await rejection(e.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'once' })));

    expect(error.name).toBe('ExecutionAlreadyExists');
  });

  it.each([
    [
      'malformed JSON',
      'AWSStepFunctions.ListStateMachines',
      '{"maxResults":',
      'SerializationException',
      /not valid JSON/,
    ],
    [
      'a body that is not an object',
      'AWSStepFunctions.ListStateMachines',
      '[1]',
      'SerializationException',
      /JSON object/,
    ],
    [
      'a member of the wrong type',
      'AWSStepFunctions.ListStateMachines',
      '{"maxResults":"ten"}',
      'SerializationException',
      /maxResults/,
    ],
    [
      'a missing required member',
      'AWSStepFunctions.DescribeExecution',
      '{}',
      'ValidationException',
      "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an unknown operation',
      'AWSStepFunctions.DeleteEverything',
      '{}',
      'UnknownOperationException',
      /DeleteEverything/,
    ],
    [
      'a prototype member as operation',
      'AWSStepFunctions.constructor',
      '{}',
      'UnknownOperationException',
      /constructor/,
    ],
    ['an unknown service', 'AmazonSQS.SendMessage', '{}', 'UnknownOperationException', /AmazonSQS/],
    ['no target at all', undefined, '{}', 'UnknownOperationException', /Missing X-Amz-Target/],
  ])('answers %s with the AWS error shape', async (_what, target, body, code, message) => {
    const response = await rawRequest(e.server.url, target, body);

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe(code);
    expect(response.headers.get('x-amzn-requestid')).toEqual(expect.any(String));
    expect(response.json.__type).toBe(code);
    expect(response.json.message).toMatch(message);
  });
});
