/**
 * One call of scalelab's own operations on the local endpoint (`ScalelabLocal.<Op>`, not AWS
 * APIs, so no SDK client): a JSON POST in the endpoint's AWS JSON 1.0 shape. undici's `request`,
 * not `fetch`: fetch refuses the ports the Fetch standard blocks (9, 6666, …), which a local
 * endpoint may use. No timeout of its own beyond undici's: the endpoint bounds its operations.
 */
import { type Dispatcher, request } from 'undici';
import { SCALELAB_SERVICE } from '../../local/api/defaults.js';
import { AwsCallFailed, EndpointUnreachable } from './errors.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH']);

/** POSTs `body` to `ScalelabLocal.<operation>` at `endpoint`; its answer, or `<Code>: <message>` thrown. */
export async function callScalelab<T>(endpoint: string, operation: string, body: object = {}): Promise<T> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(`${endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `${SCALELAB_SERVICE}.${operation}`,
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    if (UNREACHABLE.has(String((error as { code?: unknown }).code)))
      throw new EndpointUnreachable(`cannot reach ${endpoint} (is \`scalelab serve\` running?)`, {
        cause: error,
      });
    throw error;
  }
  const text = await response.body.text();
  let answer: { __type?: string; message?: string };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new AwsCallFailed(
      `${endpoint} answered ${response.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
  if (response.statusCode !== 200)
    throw new AwsCallFailed(`${answer.__type ?? response.statusCode}: ${answer.message ?? text}`);
  return answer as T;
}
