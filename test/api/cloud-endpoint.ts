/**
 * A local endpoint on port 0 over a fresh LocalAws (no instances: metrics are put directly) and
 * the SDK clients for its CloudWatch and DynamoDB.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoTableSpec } from '../../local/api/dynamodb.js';
import { type ApiServer, startApiServer } from '../../local/api/index.js';
import { LocalAws } from '../../local/local-aws.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { testSubnet } from '../helpers/subnet.js';
import { DUMMY_CREDENTIALS } from './harness.js';

/** The lab's observer table, as the CDK stack defines its key. */
export const OBSERVER_TABLE: DynamoTableSpec = { name: 'scalelab-observers', partitionKey: 'observerId' };

export interface CloudEndpoint {
  server: ApiServer;
  cloud: LocalAws;
  cloudWatch: CloudWatchClient;
  dynamo: DynamoDBClient;
  /** Errors the endpoint reported as 500s. */
  failures: unknown[];
  close(): Promise<void>;
}

export async function startCloudEndpoint(
  options: { tables?: DynamoTableSpec[]; withCloud?: boolean } = {},
): Promise<CloudEndpoint> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-cloud-api-'));
  const cloud = new LocalAws({ timeScale: 1, subnet: testSubnet() });
  const stepFunctions = new LocalStepFunctions({ stateDir, clock: cloud.clock, publish: () => {} });
  const failures: unknown[] = [];
  const server = await startApiServer({
    stepFunctions,
    cloud: options.withCloud === false ? undefined : cloud,
    tables: options.tables ?? [OBSERVER_TABLE],
    port: 0,
    onError: (error) => failures.push(error),
  });
  const config = { endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
  const cloudWatch = new CloudWatchClient(config);
  const dynamo = new DynamoDBClient(config);
  return {
    server,
    cloud,
    cloudWatch,
    dynamo,
    failures,
    async close() {
      cloudWatch.destroy();
      dynamo.destroy();
      await server.close();
      await stepFunctions.close();
      await cloud.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
