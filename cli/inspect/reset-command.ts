/**
 * `scalelab reset`: asks the local endpoint of `scalelab serve` (or `up`) to reset its cloud to
 * the lab's clean state, through scalelab's own `ScalelabLocal.ResetLab` (not an AWS API, so not
 * an SDK client: one JSON POST in the endpoint's AWS JSON 1.0 shape).
 */
import { type Dispatcher, request } from 'undici';
import { SCALELAB_SERVICE } from '../../local/api/defaults.js';
import type { LabResetReport } from '../../local-lab/lab-reset.js';
import { OPTIONS } from '../commands/reset.js';
import { DEFAULT_ENDPOINT, localEndpoint } from '../executions/endpoint-url.js';
import { AwsCallFailed, EndpointUnreachable } from '../executions/errors.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { resetText } from './reset-render.js';

/** The target of the operation on the endpoint (local/api/server.ts SCALELAB_SERVICE). */
const RESET_TARGET = `${SCALELAB_SERVICE}.ResetLab`;

/**
 * POSTs ResetLab; the report, or the endpoint's error as `<Code>: <message>`. undici's `request`,
 * not `fetch`: fetch refuses the ports the Fetch standard blocks (9, 6666, …), which a local
 * endpoint may use. No timeout of its own beyond undici's: the reset is bounded by the endpoint.
 */
async function postReset(endpoint: string): Promise<LabResetReport> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': RESET_TARGET },
      body: '{}',
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH')
      throw new EndpointUnreachable(`cannot reach ${endpoint} (is \`scalelab serve\` running?)`, {
        cause: error,
      });
    throw error;
  }
  const text = await response.body.text();
  let body: { __type?: string; message?: string } & Partial<LabResetReport>;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new AwsCallFailed(
      `${endpoint} answered ${response.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
  if (response.statusCode !== 200)
    throw new AwsCallFailed(`${body.__type ?? response.statusCode}: ${body.message ?? text}`);
  return body as LabResetReport;
}

export async function resetCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'`);
  if (values.aws)
    throw new UsageError(
      'reset works on the local cloud only (scalelab serve or up): a deployed lab is put back by its tear-down (scalelab stop, or a new execution)',
    );
  const endpoint = localEndpoint(values.endpoint ?? process.env.SCALELAB_ENDPOINT ?? DEFAULT_ENDPOINT);
  const report = await postReset(endpoint);
  process.stdout.write(`${values.json ? JSON.stringify(report) : resetText(report, endpoint)}\n`);
  return 0;
}
