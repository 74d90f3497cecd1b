import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { readInstanceMetadata } from './imds.js';

export interface IdentityOptions {
  host: string;
  instanceId?: string | undefined;
  privateIp?: string | undefined;
  /** Read the identity from the EC2 instance metadata service (IMDSv2); set this on EC2. */
  imds?: boolean | undefined;
  imdsEndpoint?: string | undefined;
}

export interface Identity {
  instanceId: string;
  privateIp: string;
}

const UNSPECIFIED_HOSTS = new Set(['0.0.0.0', '::', '']);

/** An id shaped like EC2's (`i-` and 17 hex digits), so logs and headers read the same everywhere. */
export function newInstanceId(): string {
  return `i-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

function firstExternalIpv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return undefined;
}

/**
 * Who this instance is: explicit settings win; on EC2 (`imds`) the metadata service answers;
 * elsewhere the private IP is the address the server binds to (the local cloud gives each
 * instance its own 127.0.0.x).
 */
export async function resolveIdentity(options: IdentityOptions): Promise<Identity> {
  if (options.imds) {
    const metadata = await readInstanceMetadata(options.imdsEndpoint);
    return {
      instanceId: options.instanceId ?? metadata.instanceId,
      privateIp: options.privateIp ?? metadata.privateIp,
    };
  }
  const boundIp = UNSPECIFIED_HOSTS.has(options.host) ? (firstExternalIpv4() ?? '127.0.0.1') : options.host;
  return { instanceId: options.instanceId ?? newInstanceId(), privateIp: options.privateIp ?? boundIp };
}
