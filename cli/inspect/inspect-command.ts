/**
 * `scalelab inspect`: what the lab's cloud holds right now, through the AWS APIs (lab-inventory.ts):
 * the local cloud of `scalelab serve` or `up` by their endpoint, or the deployed lab with --aws.
 */

import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';
import { awsClients } from '../../lambdas/cloud/aws-cloud.js';
import { LAB_STACK_NAME } from '../../lambdas/cloud/lab-tags.js';
import { API_REGION } from '../../local/api/index.js';
import { OPTIONS } from '../commands/inspect.js';
import { awsCall } from '../executions/errors.js';
import { DEFAULT_ENDPOINT, LOCAL_CREDENTIALS, localEndpoint } from '../executions/target.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { readLabInventory } from './lab-inventory.js';
import { inventoryText } from './render.js';

function clientsFor(values: { aws?: boolean; endpoint?: string; region?: string }) {
  if (values.aws) {
    if (values.endpoint !== undefined) throw new UsageError('--aws and --endpoint cannot be used together');
    return {
      clients: awsClients(values.region ? { region: values.region } : {}),
      where: `AWS (${values.region ?? process.env.AWS_REGION ?? 'default region'})`,
    };
  }
  const endpoint = localEndpoint(values.endpoint ?? process.env.SCALELAB_ENDPOINT ?? DEFAULT_ENDPOINT);
  return {
    clients: awsClients({ endpoint, region: values.region ?? API_REGION, credentials: LOCAL_CREDENTIALS }),
    where: endpoint,
  };
}

export async function inspectCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, OPTIONS);
  const { clients, where } = clientsFor(values);
  try {
    const inventory = await awsCall(where, () =>
      readLabInventory(clients, {
        groupName: values.group ?? DEFAULT_LAB_CONFIG.section2.autoScalingGroupName,
        labStackName: LAB_STACK_NAME,
      }),
    );
    process.stdout.write(`${values.json ? JSON.stringify(inventory) : inventoryText(inventory, where)}\n`);
    return 0;
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}
