import { MetadataError } from './errors.js';

/** The EC2 instance metadata service's link-local endpoint. */
export const IMDS_ENDPOINT = 'http://169.254.169.254';

/** Short: off EC2 the address does not answer at all, and a server should not hang at start-up. */
const IMDS_TIMEOUT_MS = 1_000;
const TOKEN_TTL_SECONDS = 300;

export interface InstanceMetadata {
  instanceId: string;
  privateIp: string;
}

async function imdsRequest(url: string, init: RequestInit, what: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(IMDS_TIMEOUT_MS) });
  } catch (error) {
    throw new MetadataError(`instance metadata ${what}: no answer from ${url}`, { cause: error });
  }
  if (!response.ok) throw new MetadataError(`instance metadata ${what}: HTTP ${response.status} from ${url}`);
  return (await response.text()).trim();
}

/**
 * Reads the instance id and private IPv4 from IMDSv2 only: a session token first (PUT), then each
 * item with that token. There is deliberately no IMDSv1 fallback.
 */
export async function readInstanceMetadata(endpoint = IMDS_ENDPOINT): Promise<InstanceMetadata> {
  const token = await imdsRequest(
    `${endpoint}/latest/api/token`,
    { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': String(TOKEN_TTL_SECONDS) } },
    'token',
  );
  const get = (item: string): Promise<string> =>
    imdsRequest(
      `${endpoint}/latest/meta-data/${item}`,
      { headers: { 'X-aws-ec2-metadata-token': token } },
      item,
    );
  const [instanceId, privateIp] = await Promise.all([get('instance-id'), get('local-ipv4')]);
  return { instanceId, privateIp };
}
