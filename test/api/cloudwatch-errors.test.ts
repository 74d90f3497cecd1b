import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  type GetMetricStatisticsCommandInput,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { decode, encode } from 'cborg';
import { dateDecoder, dateEncoder } from 'cborg/taglib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { rejection } from './harness.js';

const SERVICE = 'GraniteServiceVersion20100801';

const VALID: GetMetricStatisticsCommandInput = {
  Namespace: 'AWS/EC2',
  MetricName: 'CPUUtilization',
  StartTime: new Date(0),
  EndTime: new Date(3_600_000),
  Period: 60,
  Statistics: ['Average'],
};

async function rawJson(url: string, operation: string, body: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${SERVICE}.${operation}` },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

async function rawCbor(url: string, service: string, operation: string, body: Uint8Array) {
  const response = await fetch(`${url}/service/${service}/operation/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
    body: Buffer.from(body), // a copy on its own ArrayBuffer, which the DOM lib's BodyInit (console/web) requires
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    value: decode(bytes, { tags: { 1: dateDecoder } }) as Record<string, unknown>,
  };
}

describe('CloudWatch errors from the local endpoint', () => {
  let e: CloudEndpoint;
  beforeAll(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
  });
  afterAll(async () => {
    await e.close();
  });

  it.each([
    [
      'a period CloudWatch does not allow',
      () => e.cloudWatch.send(new GetMetricStatisticsCommand({ ...VALID, Period: 7 })),
      'InvalidParameterValueException',
      'InvalidParameterValue',
      /Period must be 1, 5, 10, 30 or a multiple of 60/,
    ],
    [
      'a missing required parameter',
      () => e.cloudWatch.send(new GetMetricStatisticsCommand({ ...VALID, Namespace: undefined })),
      'MissingRequiredParameterException',
      'MissingParameter',
      'The parameter Namespace is required.',
    ],
    [
      'neither Statistics nor ExtendedStatistics',
      () => e.cloudWatch.send(new GetMetricStatisticsCommand({ ...VALID, Statistics: undefined })),
      'InvalidParameterCombinationException',
      'InvalidParameterCombination',
      'Must specify either Statistics or ExtendedStatistics',
    ],
    [
      'more than 1440 datapoints',
      () =>
        e.cloudWatch.send(
          new GetMetricStatisticsCommand({ ...VALID, EndTime: new Date(86_400_000 + 60_000) }),
        ),
      'InvalidParameterCombinationException',
      'InvalidParameterCombination',
      /requested up to 1441 datapoints/,
    ],
    [
      'a statistic outside the basic five',
      () => e.cloudWatch.send(new GetMetricStatisticsCommand({ ...VALID, Statistics: ['Median' as never] })),
      'InvalidParameterValueException',
      'InvalidParameterValue',
      /Statistics.member.1 must be a value in the set/,
    ],
    [
      'percentiles (not served locally)',
      () =>
        e.cloudWatch.send(
          new GetMetricStatisticsCommand({ ...VALID, Statistics: undefined, ExtendedStatistics: ['p90'] }),
        ),
      'InvalidParameterValueException',
      'InvalidParameterValue',
      /not supported by the local endpoint/,
    ],
    [
      'metric math in GetMetricData (not served locally)',
      () =>
        e.cloudWatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(0),
            EndTime: new Date(60_000),
            MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }],
          }),
        ),
      'InvalidParameterValueException',
      'InvalidParameterValue',
      /metric math is not supported/,
    ],
    [
      'a page token the endpoint never gave',
      () => e.cloudWatch.send(new ListMetricsCommand({ NextToken: 'garbage' })),
      'InvalidNextToken',
      'InvalidNextToken',
      /NextToken/,
    ],
    [
      'AlarmNames with AlarmNamePrefix',
      () => e.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })),
      'InvalidParameterCombinationException',
      'InvalidParameterCombination',
      /cannot be specified together/,
    ],
  ])('%s', async (_what, command, name, code, message) => {
    const error = await rejection(command());

    expect(error.name).toBe(name);
    expect(error.Code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.$fault).toBe('client');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it.each([
    ['malformed JSON', 'ListMetrics', '{"Namespace":', 'SerializationException', /not valid JSON/],
    ['a member of the wrong type', 'ListMetrics', '{"Namespace":7}', 'SerializationException', /Namespace/],
    ['an unknown operation', 'PutDashboard', '{}', 'UnknownOperationException', /PutDashboard/],
    ['a prototype member as operation', 'constructor', '{}', 'UnknownOperationException', /constructor/],
  ])('answers %s over JSON with the AWS error shape', async (_what, operation, body, code, message) => {
    const response = await rawJson(e.server.url, operation, body);

    expect(response.status).toBe(400);
    expect(response.json.__type).toBe(code);
    expect(response.json.message).toMatch(message);
    expect((await e.cloudWatch.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });

  it('sends the query code in x-amzn-query-error and the shape in __type', async () => {
    const response = await rawJson(e.server.url, 'GetMetricStatistics', '{}');

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
    expect(response.json.__type).toBe('com.amazonaws.cloudwatch#MissingRequiredParameterException');
  });

  it.each([
    ['malformed CBOR', SERVICE, 'ListMetrics', Uint8Array.of(0xa1, 0x61), 400, 'SerializationException'],
    ['a CBOR body that is not a map', SERVICE, 'ListMetrics', encode([1, 2]), 400, 'SerializationException'],
    [
      'an unknown CloudWatch operation',
      SERVICE,
      'PutDashboard',
      encode({}),
      400,
      'UnknownOperationException',
    ],
    ['an unknown service', 'AmazonSQS', 'SendMessage', encode({}), 400, 'UnknownOperationException'],
    [
      'a missing parameter',
      SERVICE,
      'GetMetricStatistics',
      encode({}),
      400,
      'com.amazonaws.cloudwatch#MissingRequiredParameterException',
    ],
  ])(
    'answers %s over CBOR with the AWS error shape',
    async (_what, service, operation, body, status, type) => {
      const response = await rawCbor(e.server.url, service, operation, body);

      expect(response.status).toBe(status);
      expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
      expect(response.value.__type).toBe(type);
      expect(response.value.message).toEqual(expect.any(String));
      expect((await e.cloudWatch.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    },
  );

  it('answers CBOR requests in CBOR, timestamps as tag 1', async () => {
    e.cloud.metrics.putMetricData('AWS/EC2', 'CPUUtilization', { InstanceId: 'i-1' }, 12.5, 30_000);

    const request = { ...VALID, Dimensions: [{ Name: 'InstanceId', Value: 'i-1' }] };

    const response = await rawCbor(
      e.server.url,
      SERVICE,
      'GetMetricStatistics',
      encode(request, { typeEncoders: { Date: dateEncoder } }),
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/cbor');
    expect(response.value).toEqual({
      Label: 'CPUUtilization',
      Datapoints: [{ Timestamp: new Date(0), Average: 12.5, Unit: 'Percent' }],
    });
  });
});

describe('CloudWatch without a local cloud', () => {
  let e: CloudEndpoint;
  beforeAll(async () => {
    e = await startCloudEndpoint({ timeScale: 1, withCloud: false });
  });
  afterAll(async () => {
    await e.close();
  });

  it('is an unknown operation, not a silent success', async () => {
    const response = await rawJson(e.server.url, 'ListMetrics', '{}');

    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('UnknownOperationException');
  });
});
