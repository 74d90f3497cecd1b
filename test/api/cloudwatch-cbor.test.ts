/**
 * CloudWatch over Smithy RPC v2 CBOR through botocore's own serializer and parser (the AWS CLI's
 * library), when Python with botocore is here. botocore would pick JSON for CloudWatch, so the
 * script forces CBOR.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { createPolicyGroup, LAB_GROUP, putGroupCpu } from './policy-group.js';

const HAVE_BOTOCORE = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' }).status === 0;
if (!HAVE_BOTOCORE)
  process.stderr.write('test/api/cloudwatch-cbor.test.ts: skipped, no python3 with botocore\n');

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'botocore-cbor.py');
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function botocore(args: string[]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [SCRIPT, ...args],
      { timeout: 20_000, env: { PATH: process.env.PATH } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`botocore script failed: ${stderr}`, { cause: error }));
        else
          resolve(
            stdout
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line) as Record<string, unknown>),
          );
      },
    );
  });
}

describe.skipIf(!HAVE_BOTOCORE)('CloudWatch over CBOR with botocore', () => {
  let e: CloudEndpoint;
  beforeAll(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
    createPolicyGroup(e.cloud);
    putGroupCpu(e.cloud, 42.5, T0 + 1_000);
  });
  afterAll(async () => {
    await e.close();
  });

  it('serializes requests and parses answers and errors', async () => {
    const [protocol, statistics, alarms, error] = await botocore([
      e.server.url,
      LAB_GROUP,
      String(T0 / 1000),
      String(T0 / 1000 + 300),
    ]);

    expect(protocol).toEqual({ protocol: 'smithy-rpc-v2-cbor' });
    expect(statistics).toEqual({
      Label: 'CPUUtilization',
      Datapoints: [{ Timestamp: T0 / 1000, Average: 42.5, Unit: 'Percent' }],
    });
    const described = (alarms?.MetricAlarms ?? []) as { StateValue: string }[];
    expect(described.map((alarm) => alarm.StateValue)).toEqual(['INSUFFICIENT_DATA', 'INSUFFICIENT_DATA']);
    expect(error).toEqual({
      error: expect.objectContaining({
        Code: 'InvalidParameterValue',
        Type: 'Sender',
        Message: expect.stringMatching(/Period must be/),
      }),
    });
  });
});
