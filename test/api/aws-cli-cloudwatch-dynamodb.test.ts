/** The AWS CLI (botocore: CloudWatch over Smithy RPC v2 CBOR, DynamoDB over JSON 1.0) against the endpoint. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, HAVE_AWS_CLI } from './aws-cli.js';
import { type CloudEndpoint, OBSERVER_TABLE, startCloudEndpoint } from './cloud-endpoint.js';
import { createPolicyGroup, LAB_GROUP, putGroupCpu } from './policy-group.js';

if (!HAVE_AWS_CLI) {
  process.stderr.write(
    'test/api/aws-cli-cloudwatch-dynamodb.test.ts: skipped, the AWS CLI (`aws`) is not on PATH\n',
  );
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe.skipIf(!HAVE_AWS_CLI)('the AWS CLI against CloudWatch and DynamoDB on the local endpoint', () => {
  let e: CloudEndpoint;
  beforeAll(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
    createPolicyGroup(e.cloud);
    putGroupCpu(e.cloud, 42.5, T0 + 1_000);
  });
  afterAll(async () => {
    await e.close();
  });

  it('gets metric statistics', async () => {
    const result = await awsCli(e.server.url, [
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      'AWS/EC2',
      '--metric-name',
      'CPUUtilization',
      '--dimensions',
      `Name=AutoScalingGroupName,Value=${LAB_GROUP}`,
      '--start-time',
      new Date(T0).toISOString(),
      '--end-time',
      new Date(T0 + 300_000).toISOString(),
      '--period',
      '60',
      '--statistics',
      'Average',
    ]);

    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      Label: 'CPUUtilization',
      // CLI v1 prints timestamps as they came (cli_timestamp_format=none): CBOR's epoch seconds.
      Datapoints: [{ Timestamp: T0 / 1000, Average: 42.5, Unit: 'Percent' }],
    });
  });

  it('describes the alarms', async () => {
    const result = await awsCli(e.server.url, ['cloudwatch', 'describe-alarms']);

    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { MetricAlarms: { AlarmName: string; StateValue: string }[] };
    expect(out.MetricAlarms.map((alarm) => alarm.AlarmName)).toEqual([
      expect.stringMatching(`^TargetTracking-${LAB_GROUP}-AlarmHigh-`),
      expect.stringMatching(`^TargetTracking-${LAB_GROUP}-AlarmLow-`),
    ]);
    expect(out.MetricAlarms.map((alarm) => alarm.StateValue)).toEqual([
      'INSUFFICIENT_DATA',
      'INSUFFICIENT_DATA',
    ]);
  });

  it('exits non-zero with the query error code', async () => {
    const result = await awsCli(e.server.url, [
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      'AWS/EC2',
      '--metric-name',
      'CPUUtilization',
      '--start-time',
      new Date(T0).toISOString(),
      '--end-time',
      new Date(T0 + 300_000).toISOString(),
      '--period',
      '7',
      '--statistics',
      'Average',
    ]);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      'An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation: The parameter Period must be',
    );
  });

  it('scans the lab table', async () => {
    await e.dynamo.send(
      new PutItemCommand({ TableName: OBSERVER_TABLE.name, Item: { observerId: { S: 'obs-1' } } }),
    );

    const result = await awsCli(e.server.url, ['dynamodb', 'scan', '--table-name', OBSERVER_TABLE.name]);

    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ Items: [{ observerId: { S: 'obs-1' } }], Count: 1 });
  });

  it('answers an unknown table with ResourceNotFoundException', async () => {
    const result = await awsCli(e.server.url, ['dynamodb', 'scan', '--table-name', 'nope']);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      'An error occurred (ResourceNotFoundException) when calling the Scan operation',
    );
  });
});
