/**
 * `scalelab serve`'s endpoint holds the lab's observer table, as `up` and `run --adapter aws` do:
 * the aws adapter's own table code and the AWS CLI find it there.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsLabGuard } from '../../lambdas/cloud/aws-lab-guard.js';
import { LOCAL_OBSERVER_TABLE } from '../../local-lab/run/aws-adapter.js';
import { type ServeFixture, serveForTest } from '../cli/executions/helpers.js';
import { awsCli, HAVE_AWS_CLI } from './aws-cli.js';
import { DUMMY_CREDENTIALS } from './harness.js';

describe('scalelab serve holds the observer table', () => {
  let served: ServeFixture;
  let dynamo: DynamoDBClient;
  let sfn: SFNClient;
  beforeEach(async () => {
    served = await serveForTest();
    const config = { endpoint: served.serve.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
    dynamo = new DynamoDBClient(config);
    sfn = new SFNClient(config);
  });
  afterEach(async () => {
    dynamo.destroy();
    sfn.destroy();
    await served.close();
  });

  it("has the table with the CDK table's key, and the aws adapter's lab guard works on it", async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: LOCAL_OBSERVER_TABLE }));
    const guard = new AwsLabGuard(dynamo, sfn, LOCAL_OBSERVER_TABLE);
    const run = { executionId: 'arn:exec:serve', executionName: 'serve', since: 1_000 };

    const claimed = await guard.claim(run);
    const holder = await guard.holder();
    const released = await guard.release(run.executionId);

    expect(Table?.KeySchema).toEqual([{ AttributeName: 'observerId', KeyType: 'HASH' }]);
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(claimed).toEqual({ claimed: true });
    expect(holder).toEqual(run);
    expect(released).toBe(true);
  });

  it.skipIf(!HAVE_AWS_CLI)('shows the table to the AWS CLI', async () => {
    const result = await awsCli(served.serve.url, ['dynamodb', 'list-tables']);

    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ TableNames: [LOCAL_OBSERVER_TABLE] });
  });
});
