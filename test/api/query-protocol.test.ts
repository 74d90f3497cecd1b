/**
 * The query route of the local endpoint: form parsing, service choice, the two error shapes and
 * their status codes, and the endpoint answering after every bad request.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../local/api/index.js';
import { formTree, parseForm } from '../../local/api/query/form.js';
import { signingNameOf } from '../../local/api/query/handler.js';
import { Clock } from '../../local/clock.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { formRequest, xmlText } from './query-requests.js';

describe('form bodies as trees', () => {
  it('nests EC2 and AWS query list members by their 1-based indexes, in index order', () => {
    const tree = formTree(
      parseForm(
        'Action=DescribeInstances&Filter.2.Name=tag%3Ascalelab%3Astack&Filter.2.Value.1=lab&Filter.1.Name=instance-state-name&Filter.1.Value.2=stopped&Filter.1.Value.1=running&Targets.member.1.Id=i-1&Targets.member.1.Port=80',
      ),
    );

    expect(JSON.parse(JSON.stringify(tree))).toEqual({
      Action: 'DescribeInstances',
      Filter: [
        { Name: 'instance-state-name', Value: ['running', 'stopped'] },
        { Name: 'tag:scalelab:stack', Value: ['lab'] },
      ],
      Targets: [{ Id: 'i-1', Port: '80' }],
    });
  });

  it('decodes + as a space and refuses broken percent escapes and keys that are both value and structure', () => {
    expect(parseForm('Name=a+b%2Bc').get('Name')).toBe('a b+c');
    expect(() => parseForm('Name=%E0%A4%A')).toThrow(/Malformed percent-encoding/);
    expect(() => formTree(parseForm('InstanceId=i-1&InstanceId.1=i-2'))).toThrow(/conflicts/);
  });

  it('keeps __proto__ and friends as plain members', () => {
    const tree = formTree(parseForm('__proto__.polluted=yes&constructor=x'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(tree.constructor).toBe('x');
  });

  it('reads the service from the SigV4 credential scope', () => {
    expect(
      signingNameOf(
        'AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=ab',
      ),
    ).toBe('elasticloadbalancing');
    expect(signingNameOf(undefined)).toBeUndefined();
  });
});

describe('query-protocol errors from the local endpoint', () => {
  let e: CloudEndpoint;
  beforeEach(async () => {
    e = await startCloudEndpoint();
    e.cloud.autoscaling.createAutoScalingGroup({
      autoScalingGroupName: 'asg',
      app: 'serve',
      instanceType: 't3.micro',
      minSize: 0,
      maxSize: 1,
      desiredCapacity: 0,
    });
  });
  afterEach(async () => {
    await e.close();
  });

  async function stillAnswers(): Promise<void> {
    const out = await e.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(out.AutoScalingGroups?.map((group) => group.AutoScalingGroupName)).toEqual(['asg']);
  }

  it.each([
    [
      'a broken percent escape',
      'Action=DescribeAutoScalingGroups&Version=2011-01-01&X=%ZZ',
      'autoscaling',
      404,
      'MalformedQueryString',
    ],
    ['no Action', 'Version=2011-01-01', 'autoscaling', 400, 'MissingAction'],
    ['an unknown action', 'Action=DeleteEverything&Version=2011-01-01', 'autoscaling', 400, 'InvalidAction'],
    [
      'a service the endpoint does not serve',
      'Action=ListQueues&Version=2012-11-05',
      'sqs',
      400,
      'InvalidAction',
    ],
    [
      'a missing required member',
      'Action=UpdateAutoScalingGroup&Version=2011-01-01',
      'autoscaling',
      400,
      'ValidationError',
    ],
    [
      'a member that is no integer',
      'Action=UpdateAutoScalingGroup&AutoScalingGroupName=asg&MinSize=one',
      'autoscaling',
      400,
      'ValidationError',
    ],
    [
      'a member the local service does not model',
      'Action=UpdateAutoScalingGroup&AutoScalingGroupName=asg&PlacementGroup=pg',
      'autoscaling',
      400,
      'ValidationError',
    ],
  ])('answers %s in the AWS query error shape', async (_what, body, service, status, code) => {
    const answer = await formRequest(e.server.url, body, service);

    expect(answer.status).toBe(status);
    expect(answer.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><ErrorResponse/);
    expect(xmlText(answer.body, 'Type')).toBe('Sender');
    expect(xmlText(answer.body, 'Code')).toBe(code);
    expect(xmlText(answer.body, 'Message')).toBeTruthy();
    expect(xmlText(answer.body, 'RequestId')).toMatch(/^[0-9a-f-]{36}$/);
    await stillAnswers();
  });

  it.each([
    [
      'an unknown action',
      'Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0',
      400,
      'InvalidAction',
    ],
    ['a missing parameter', 'Action=StartInstances&Version=2016-11-15', 400, 'MissingParameter'],
    [
      'a malformed instance id',
      'Action=StopInstances&Version=2016-11-15&InstanceId.1=nope',
      400,
      'InvalidInstanceID.Malformed',
    ],
    [
      'an unknown filter',
      'Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=color&Filter.1.Value.1=red',
      400,
      'InvalidParameterValue',
    ],
    ['a dry run', 'Action=DescribeInstances&Version=2016-11-15&DryRun=true', 412, 'DryRunOperation'],
  ])('answers %s in the EC2 error shape', async (_what, body, status, code) => {
    const answer = await formRequest(e.server.url, body, 'ec2');

    expect(answer.status).toBe(status);
    expect(answer.body).toMatch(/<Response><Errors><Error><Code>/);
    expect(xmlText(answer.body, 'Code')).toBe(code);
    expect(xmlText(answer.body, 'RequestID')).toMatch(/^[0-9a-f-]{36}$/);
    await stillAnswers();
  });

  it('picks the service by Version when the request is not signed', async () => {
    const answer = await formRequest(e.server.url, 'Action=DescribeAutoScalingGroups&Version=2011-01-01');

    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<AutoScalingGroupName>asg</AutoScalingGroupName>');
  });

  it('keeps JSON requests on the JSON route: an unknown target is UnknownOperationException', async () => {
    const response = await fetch(e.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Nope.Nothing' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    await stillAnswers();
  });
});

describe('an endpoint without a local cloud', () => {
  let server: ApiServer;
  let stepFunctions: LocalStepFunctions;
  let clock: Clock;
  let stateDir: string;
  beforeEach(async () => {
    clock = new Clock({ scale: 100 });
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-no-cloud-'));
    stepFunctions = new LocalStepFunctions({ stateDir, clock });
    server = await startApiServer({ stepFunctions, port: 0 });
  });
  afterEach(async () => {
    await server.close();
    await stepFunctions.close();
    clock.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers InvalidAction for the query services', async () => {
    const answer = await formRequest(server.url, 'Action=DescribeInstances&Version=2016-11-15', 'ec2');

    expect(answer.status).toBe(400);
    expect(xmlText(answer.body, 'Code')).toBe('InvalidAction');
    expect(xmlText(answer.body, 'Message')).toMatch(/does not serve the query API of 'ec2'/);
  });
});
