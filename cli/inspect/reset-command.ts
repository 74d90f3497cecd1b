/**
 * `scalelab reset`: asks the local endpoint of `scalelab serve` (or `up`) to reset its cloud to
 * the lab's clean state, through scalelab's own `ScalelabLocal.ResetLab` (not an AWS API).
 */
import type { LabResetReport } from '../../local-lab/lab-reset.js';
import { OPTIONS } from '../commands/reset.js';
import { DEFAULT_ENDPOINT, localEndpoint } from '../executions/endpoint-url.js';
import { callScalelab } from '../executions/scalelab-call.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { resetText } from './reset-render.js';

export async function resetCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'`);
  if (values.aws)
    throw new UsageError(
      'reset works on the local cloud only (scalelab serve or up): a deployed lab is put back by its tear-down (scalelab stop, or a new execution)',
    );
  const endpoint = localEndpoint(values.endpoint ?? process.env.SCALELAB_ENDPOINT ?? DEFAULT_ENDPOINT);
  const report = await callScalelab<LabResetReport>(endpoint, 'ResetLab');
  process.stdout.write(`${values.json ? JSON.stringify(report) : resetText(report, endpoint)}\n`);
  return 0;
}
