/**
 * A loopback stand-in for the AWS endpoints the validate bundle calls, in each service's own
 * protocol, so the real SDK inside the bundle serializes and parses for real: EventBridge and
 * DynamoDB speak JSON (routed by X-Amz-Target), EC2 and Auto Scaling the query protocol with XML
 * answers (routed by Action). It answers a lab at rest: no section-1 instance up, the group at 0.
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedCall {
  /** X-Amz-Target for JSON services, `<Action>` for query ones. */
  target: string;
  body: Record<string, unknown>;
}

const EC2_DESCRIBE_INSTANCES = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><reservationSet/></DescribeInstancesResponse>`;

function groupAtRest(name: string): string {
  return `<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
<DescribeAutoScalingGroupsResult><AutoScalingGroups><member>
<AutoScalingGroupName>${name}</AutoScalingGroupName><MinSize>0</MinSize><MaxSize>3</MaxSize>
<DesiredCapacity>0</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><Instances/>
<AvailabilityZones><member>us-east-1a</member></AvailabilityZones><HealthCheckType>ELB</HealthCheckType>
<CreatedTime>2026-01-01T00:00:00Z</CreatedTime>
</member></AutoScalingGroups></DescribeAutoScalingGroupsResult>
<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>`;
}

function jsonAnswer(target: string): Record<string, unknown> {
  if (target === 'AWSEvents.PutEvents') return { FailedEntryCount: 0, Entries: [{ EventId: '1' }] };
  // DynamoDB PutItem / GetItem / DeleteItem: the claim is written, nothing was there.
  return {};
}

/** Starts the fake on 127.0.0.1; `received` fills with every call in order. */
export function fakeAwsEndpoint(groupName: string, received: ReceivedCall[]): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string') {
        received.push({ target, body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(jsonAnswer(target)));
        return;
      }
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params.Action ?? '';
      received.push({ target: action, body: params });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(action === 'DescribeInstances' ? EC2_DESCRIBE_INSTANCES : groupAtRest(groupName));
    });
  });
}
