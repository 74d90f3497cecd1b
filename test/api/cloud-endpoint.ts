/**
 * A local endpoint on port 0 over a real LocalAws, with the SDK clients of every cloud service it
 * answers: EC2, Auto Scaling and ELBv2 (query protocols), CloudWatch and DynamoDB (JSON).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DynamoTableSpec } from '../../local/api/dynamodb.js';
import { type ApiServer, startApiServer } from '../../local/api/index.js';
import { LocalAws, type LocalAwsOptions } from '../../local/local-aws.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { LOCAL_OBSERVER_TABLE_SPEC } from '../../local-lab/run/aws-adapter.js';
import { testSubnet } from '../helpers/subnet.js';
import { DUMMY_CREDENTIALS } from './harness.js';

/** The lab's observer table, as every local endpoint in front of a lab creates it. */
export const OBSERVER_TABLE: DynamoTableSpec = LOCAL_OBSERVER_TABLE_SPEC;

export interface CloudEndpointOptions extends LocalAwsOptions {
  /** DynamoDB tables the endpoint creates; default the observer table. */
  tables?: DynamoTableSpec[];
  /** false: the endpoint is started without the cloud (its services are then unknown). */
  withCloud?: boolean;
}

export interface CloudEndpoint {
  cloud: LocalAws;
  server: ApiServer;
  ec2: EC2Client;
  autoScaling: AutoScalingClient;
  elb: ElasticLoadBalancingV2Client;
  cloudWatch: CloudWatchClient;
  dynamo: DynamoDBClient;
  /** Failures the endpoint reported through `onError`, answered as 500s (none expected). */
  errors: unknown[];
  close(): Promise<void>;
}

/**
 * The cloud, the endpoint and the clients; `close()` ends them all. The cloud runs at x100 with
 * 5 s boots unless told otherwise, so instances are up within a real second.
 */
export async function startCloudEndpoint(options: CloudEndpointOptions = {}): Promise<CloudEndpoint> {
  const { tables = [OBSERVER_TABLE], withCloud = true, ...cloudOptions } = options;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-cloud-api-'));
  const cloud = new LocalAws({ timeScale: 100, subnet: testSubnet(), bootSeconds: 5, ...cloudOptions });
  const stepFunctions = new LocalStepFunctions({ stateDir, clock: cloud.clock, publish: () => undefined });
  const errors: unknown[] = [];
  const server = await startApiServer({
    stepFunctions,
    cloud: withCloud ? cloud : undefined,
    tables,
    port: 0,
    onError: (error) => errors.push(error),
  });
  const config = { endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
  const clients = {
    ec2: new EC2Client(config),
    autoScaling: new AutoScalingClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    cloudWatch: new CloudWatchClient(config),
    dynamo: new DynamoDBClient(config),
  };
  return {
    cloud,
    server,
    ...clients,
    errors,
    async close() {
      for (const client of Object.values(clients)) client.destroy();
      await server.close();
      await stepFunctions.close();
      await cloud.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
