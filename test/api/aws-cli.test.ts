/**
 * The real AWS CLI (v1 or v2) against the local endpoint, when `aws` is on PATH. No profile, no
 * network: dummy credentials in the environment and `--endpoint-url` on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli as aws, HAVE_AWS_CLI as HAVE_AWS } from './aws-cli.js';
import { type Endpoint, startEndpoint } from './harness.js';

if (!HAVE_AWS) {
  process.stderr.write('test/api/aws-cli.test.ts: skipped, the AWS CLI (`aws`) is not on PATH\n');
}

describe.skipIf(!HAVE_AWS)('the AWS CLI against the local endpoint', () => {
  let e: Endpoint;
  let stateMachineArn: string;
  beforeAll(async () => {
    e = await startEndpoint(1000);
    stateMachineArn = e.machine('cool-down', { StepFunctionArn: async (event) => event });
  });
  afterAll(async () => {
    await e.close();
  });

  it('starts, describes, lists and reads the history of an execution', async () => {
    const started = await aws(e.server.url, [
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      stateMachineArn,
      '--name',
      'from-cli',
      '--input',
      '{"via":"aws-cli"}',
    ]);
    expect(started.stderr).toBe('');
    const { executionArn } = JSON.parse(started.stdout) as { executionArn: string };
    await e.service.whenSettled(executionArn);

    const described = JSON.parse(
      (await aws(e.server.url, ['stepfunctions', 'describe-execution', '--execution-arn', executionArn]))
        .stdout,
    ) as Record<string, unknown>;
    const listed = JSON.parse(
      (await aws(e.server.url, ['stepfunctions', 'list-executions', '--state-machine-arn', stateMachineArn]))
        .stdout,
    ) as { executions: { name: string }[] };
    // A small page size makes the CLI follow nextToken across several requests and merge the pages.
    const history = JSON.parse(
      (
        await aws(e.server.url, [
          'stepfunctions',
          'get-execution-history',
          '--execution-arn',
          executionArn,
          '--page-size',
          '3',
        ])
      ).stdout,
    ) as { events: { id: number; type: string }[] };

    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:cool-down:from-cli');
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'from-cli', input: '{"via":"aws-cli"}' });
    expect(listed.executions.map((x) => x.name)).toContain('from-cli');
    expect(history.events.map((event) => event.id)).toEqual(history.events.map((_, i) => i + 1));
    expect(history.events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('exits non-zero with the AWS error code for an unknown execution', async () => {
    const missing = 'arn:aws:states:us-east-1:000000000000:execution:cool-down:ghost';

    const result = await aws(e.server.url, [
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      missing,
    ]);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      `An error occurred (ExecutionDoesNotExist) when calling the DescribeExecution operation: Execution Does Not Exist: '${missing}'`,
    );
  });
});
