/**
 * A local endpoint on port 0 over a real LocalAws (EC2, Auto Scaling, ELB), SDK clients for its
 * query-protocol services, and raw form requests for what the SDK would never send.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { XMLParser } from 'fast-xml-parser';
import { type ApiServer, startApiServer } from '../../local/api/index.js';
import { LocalAws, type LocalAwsOptions } from '../../local/local-aws.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { testSubnet } from '../helpers/subnet.js';
import { DUMMY_CREDENTIALS } from './harness.js';

export interface CloudEndpoint {
  cloud: LocalAws;
  server: ApiServer;
  ec2: EC2Client;
  autoScaling: AutoScalingClient;
  elb: ElasticLoadBalancingV2Client;
  /** Failures the endpoint reported through `onError` (none expected). */
  errors: unknown[];
  close(): Promise<void>;
}

/** The cloud, the endpoint and the clients; `close()` ends them all. */
export async function startCloudEndpoint(options: LocalAwsOptions = {}): Promise<CloudEndpoint> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-query-api-'));
  const cloud = new LocalAws({ timeScale: 100, subnet: testSubnet(), bootSeconds: 5, ...options });
  const stepFunctions = new LocalStepFunctions({ stateDir, clock: cloud.clock, publish: () => undefined });
  const errors: unknown[] = [];
  const server = await startApiServer({
    stepFunctions,
    cloud,
    port: 0,
    onError: (error) => errors.push(error),
  });
  const config = { endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
  const ec2 = new EC2Client(config);
  const autoScaling = new AutoScalingClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  return {
    cloud,
    server,
    ec2,
    autoScaling,
    elb,
    errors,
    async close() {
      for (const client of [ec2, autoScaling, elb]) client.destroy();
      await server.close();
      await stepFunctions.close();
      await cloud.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface XmlAnswer {
  status: number;
  body: string;
}

/**
 * POSTs a form body as a query-protocol client would, signed (without a real signature) for
 * `service` when one is given, so the endpoint picks the service by its credential scope.
 */
export async function formRequest(url: string, body: string, service?: string): Promise<XmlAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (service) {
    headers.authorization = `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20261130/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

const xmlParser = new XMLParser({ parseTagValue: false });

/** The text of the first `<name>` element of an XML answer, entities decoded. */
export function xmlText(body: string, name: string): string | undefined {
  const find = (node: unknown): string | undefined => {
    if (typeof node !== 'object' || node === null) return undefined;
    for (const [key, value] of Object.entries(node)) {
      if (key === name && typeof value === 'string') return value;
      const found = find(value);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find(xmlParser.parse(body));
}

/** The error the promise rejects with; fails the test if it resolves. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('expected the call to fail, but it succeeded');
  return outcome;
}
