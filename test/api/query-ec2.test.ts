/** EC2 through the real SDK v3 client against the local endpoint (EC2 query protocol). */
import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { rejection } from './harness.js';

const LAB_TAGS = { 'scalelab:stack': 'lab', 'scalelab:section': '1' };

function ids(out: DescribeInstancesCommandOutput): string[] {
  return (out.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId ?? ''));
}

describe('EC2 DescribeInstances through the SDK', () => {
  let e: CloudEndpoint;
  let lab: string[];
  let others: string[];
  beforeEach(async () => {
    e = await startCloudEndpoint();
    // Stopped instances have no process: describing them costs nothing.
    const launch = (tags: Record<string, string>, count: number) =>
      e.cloud.ec2.runInstances({ app: 'serve', instanceType: 't3.micro', stopped: true, tags, count });
    lab = (await launch(LAB_TAGS, 2)).map((i) => i.instanceId);
    others = (await launch({ 'scalelab:stack': 'other' }, 5)).map((i) => i.instanceId);
  });
  afterEach(async () => {
    await e.close();
    expect(e.errors).toEqual([]);
  });

  it("answers every member the adapter reads, in EC2's shapes", async () => {
    const out = await e.ec2.send(new DescribeInstancesCommand({ InstanceIds: [lab[0] ?? ''] }));

    const [local] = e.cloud.ec2.describeInstances([lab[0] ?? '']);
    expect(out.Reservations).toHaveLength(1);
    expect(out.Reservations?.[0]?.OwnerId).toBe('000000000000');
    expect(out.Reservations?.[0]?.Instances?.[0]).toMatchObject({
      InstanceId: lab[0],
      State: { Code: 80, Name: 'stopped' },
      InstanceType: 't3.micro',
      PrivateIpAddress: local?.privateIpAddress,
      LaunchTime: new Date(local?.launchTime ?? ''),
      Placement: { AvailabilityZone: 'us-east-1a' },
      Tags: expect.arrayContaining([
        { Key: 'scalelab:stack', Value: 'lab' },
        { Key: 'scalelab:section', Value: '1' },
      ]),
    });
    expect(out.NextToken).toBeUndefined();
  });

  it('filters by tag and state as the adapter does, with wildcards', async () => {
    const byTags = await e.ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:scalelab:stack', Values: ['lab'] },
          { Name: 'tag:scalelab:section', Values: ['1'] },
          { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
        ],
      }),
    );
    const running = await e.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }),
    );
    const wildcard = await e.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:scalelab:stack', Values: ['oth*'] }] }),
    );

    expect(ids(byTags).sort()).toEqual([...lab].sort());
    expect(ids(running)).toEqual([]);
    expect(ids(wildcard).sort()).toEqual([...others].sort());
  });

  it('pages with MaxResults and NextToken until every instance is seen once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await e.ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: token }));
      seen.push(...ids(out));
      token = out.NextToken;
      pages++;
    } while (token);

    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([...lab, ...others].sort());
  });

  it("refuses unknown and malformed ids, bad page sizes and tokens with EC2's codes", async () => {
    const missing = 'i-0123456789abcdef0';
    const notFound = await rejection(e.ec2.send(new DescribeInstancesCommand({ InstanceIds: [missing] })));
    const malformed = await rejection(e.ec2.send(new StartInstancesCommand({ InstanceIds: ['web-1'] })));
    const small = await rejection(e.ec2.send(new DescribeInstancesCommand({ MaxResults: 2 })));
    const token = await rejection(e.ec2.send(new DescribeInstancesCommand({ NextToken: 'garbage' })));
    const both = await rejection(
      e.ec2.send(new DescribeInstancesCommand({ InstanceIds: lab, MaxResults: 5 })),
    );

    expect(notFound.name).toBe('InvalidInstanceID.NotFound');
    expect(notFound.message).toBe(`The instance ID '${missing}' does not exist`);
    expect(notFound.$metadata?.httpStatusCode).toBe(400);
    expect(malformed.name).toBe('InvalidInstanceID.Malformed');
    expect(small.name).toBe('InvalidParameterValue');
    expect(token.name).toBe('InvalidPaginationToken');
    expect(both.name).toBe('InvalidParameterCombination');
  });
});

describe('EC2 StartInstances and StopInstances through the SDK', () => {
  let e: CloudEndpoint;
  afterEach(async () => {
    await e.close();
    expect(e.errors).toEqual([]);
  });

  it('starts a stopped instance (pending at once, then running) and stops it (stopping, then stopped)', async () => {
    e = await startCloudEndpoint();
    const [instance] = await e.cloud.ec2.runInstances({
      app: 'serve',
      instanceType: 't3.micro',
      stopped: true,
    });
    const id = instance?.instanceId ?? '';
    const state = () => e.cloud.ec2.describeInstances([id])[0]?.state;
    const described = () => JSON.stringify(e.cloud.ec2.describeInstances([id])[0]);

    const started = await e.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(started.StartingInstances).toEqual([
      {
        InstanceId: id,
        CurrentState: { Code: 0, Name: 'pending' },
        PreviousState: { Code: 80, Name: 'stopped' },
      },
    ]);
    await waitFor(() => state() === 'running', { what: () => `running: ${described()}` });

    const stopped = await e.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopped.StoppingInstances).toEqual([
      {
        InstanceId: id,
        CurrentState: { Code: 64, Name: 'stopping' },
        PreviousState: { Code: 16, Name: 'running' },
      },
    ]);
    await waitFor(() => state() === 'stopped', { what: () => `stopped: ${described()}` });
  });

  it('refuses to stop a terminated instance with IncorrectInstanceState', async () => {
    e = await startCloudEndpoint();
    const [instance] = await e.cloud.ec2.runInstances({
      app: 'serve',
      instanceType: 't3.micro',
      stopped: true,
    });
    const id = instance?.instanceId ?? '';
    await e.cloud.ec2.terminateInstances([id]);

    const error = await rejection(e.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })));

    expect(error.name).toBe('IncorrectInstanceState');
    expect(error.message).toMatch(/is not in a state from which it can be stopped/);
  });
});
