import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MetadataError } from '../../node-app/errors.js';
import { resolveIdentity } from '../../node-app/identity.js';
import { readInstanceMetadata } from '../../node-app/imds.js';

const TOKEN = 'AQAEAtest-token==';
let server: Server | undefined;

/** A stand-in for the EC2 metadata service on loopback; `v2` false makes it refuse token requests. */
async function fakeImds({ v2 = true, hang = false } = {}): Promise<string> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (hang) return;
    if (req.method === 'PUT' && req.url === '/latest/api/token') {
      const ttl = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
      res.writeHead(v2 && ttl ? 200 : 403).end(v2 && ttl ? TOKEN : '');
      return;
    }
    if (req.headers['x-aws-ec2-metadata-token'] !== TOKEN) {
      res.writeHead(401).end();
      return;
    }
    const items: Record<string, string> = {
      '/latest/meta-data/instance-id': 'i-0abc123def4567890',
      '/latest/meta-data/local-ipv4': '10.0.1.17',
    };
    const item = items[req.url ?? ''];
    res.writeHead(item ? 200 : 404).end(item ?? '');
  };
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

describe('instance metadata (IMDSv2 only)', () => {
  it('reads the instance id and private IP with a session token', async () => {
    const endpoint = await fakeImds();
    expect(await readInstanceMetadata(endpoint)).toEqual({
      instanceId: 'i-0abc123def4567890',
      privateIp: '10.0.1.17',
    });
  });

  it('fails with a MetadataError when the token request is refused (no IMDSv1 fallback)', async () => {
    const endpoint = await fakeImds({ v2: false });
    await expect(readInstanceMetadata(endpoint)).rejects.toThrow(MetadataError);
    await expect(readInstanceMetadata(endpoint)).rejects.toThrow(/token: HTTP 403/);
  });

  it('gives up quickly when the service does not answer', async () => {
    const endpoint = await fakeImds({ hang: true });
    const started = performance.now();
    await expect(readInstanceMetadata(endpoint)).rejects.toThrow(/no answer/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('lets explicit settings win over the metadata service', async () => {
    const endpoint = await fakeImds();
    const identity = await resolveIdentity({
      host: '0.0.0.0',
      imds: true,
      imdsEndpoint: endpoint,
      instanceId: 'i-mine',
    });
    expect(identity).toEqual({ instanceId: 'i-mine', privateIp: '10.0.1.17' });
  });

  it('uses the bind address and an EC2-shaped id off EC2', async () => {
    const identity = await resolveIdentity({ host: '127.0.0.7' });
    expect(identity.privateIp).toBe('127.0.0.7');
    expect(identity.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
  });
});
