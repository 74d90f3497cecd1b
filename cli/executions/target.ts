/**
 * Where the operator commands send their Step Functions calls: the local endpoint of
 * `scalelab serve` or AWS. Both are one `SFNClient`; only its construction differs.
 */
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { API_REGION } from '../../local/api/index.js';
/** The name of the lab's state machine, locally and as the stack names it. */
import { LAB_STATE_MACHINE_NAME } from '../../local-lab/run/lab-setup.js';
import { UsageError } from '../usage-error.js';
import { DEFAULT_ENDPOINT, localEndpoint } from './endpoint-url.js';
import { awsCall } from './errors.js';

export { DEFAULT_ENDPOINT, LAB_STATE_MACHINE_NAME, localEndpoint };

export interface TargetValues {
  endpoint?: string;
  aws?: boolean;
  region?: string;
  'state-machine-arn'?: string;
}

export interface Target {
  client: SFNClient;
  /** For messages: the endpoint URL or "AWS (<region>)". */
  where: string;
  /** The state machine the commands work on: a flag, the environment, or found by listing. */
  stateMachineArn(): Promise<string>;
  /** An execution ARN as given, or the ARN of the execution with that name on the state machine. */
  executionArn(reference: string): Promise<string>;
  close(): void;
}

// Locally no credentials matter, but without any the SDK would search ~/.aws and the instance
// metadata service; fixed dummy ones keep the local path off the network.
export const LOCAL_CREDENTIALS = { accessKeyId: 'scalelab-local', secretAccessKey: 'scalelab-local' };

function createClient(values: TargetValues): { client: SFNClient; where: string } {
  if (values.aws) {
    if (values.endpoint !== undefined) throw new UsageError('--aws and --endpoint cannot be used together');
    // Region and credentials come from the standard AWS environment (AWS_REGION, AWS_PROFILE…).
    const client = new SFNClient(values.region ? { region: values.region } : {});
    return { client, where: `AWS (${values.region ?? process.env.AWS_REGION ?? 'default region'})` };
  }
  const endpoint = localEndpoint(values.endpoint ?? process.env.SCALELAB_ENDPOINT ?? DEFAULT_ENDPOINT);
  const client = new SFNClient({
    endpoint,
    region: values.region ?? API_REGION,
    credentials: LOCAL_CREDENTIALS,
    // One attempt: a local endpoint that is down will not come back within a retry's backoff.
    maxAttempts: 1,
  });
  return { client, where: endpoint };
}

/**
 * Whether `name` is the lab's state machine: `lab-lifecycle` locally, `<operator stack>-LabLifecycle`
 * as stacks/operator-stack.ts names it on AWS.
 */
export function isLabStateMachine(name: string | undefined): boolean {
  return name === LAB_STATE_MACHINE_NAME || /(^|-)LabLifecycle$/.test(name ?? '');
}

/** The state machine to use when none was named: the lab's, or the only one there is. */
async function findStateMachine(client: SFNClient, where: string): Promise<string> {
  const found: { name?: string; stateMachineArn?: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(where, () => client.send(new ListStateMachinesCommand({ nextToken })));
    found.push(...(page.stateMachines ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const lab = found.find((m) => isLabStateMachine(m.name));
  const only = found.length === 1 ? found[0] : undefined;
  const arn = (lab ?? only)?.stateMachineArn;
  if (!arn) {
    throw new UsageError(
      `cannot tell which state machine to use at ${where} (found ${found.length}: ${found.map((m) => m.name).join(', ') || 'none'}); pass --state-machine-arn or set SCALELAB_STATE_MACHINE_ARN`,
    );
  }
  return arn;
}

/** Builds the target from the parsed options. */
export function connect(values: TargetValues): Target {
  const { client, where } = createClient(values);
  let stateMachine: Promise<string> | undefined;
  const target: Target = {
    client,
    where,
    stateMachineArn() {
      const named = values['state-machine-arn'] ?? process.env.SCALELAB_STATE_MACHINE_ARN;
      stateMachine ??= named ? Promise.resolve(named) : findStateMachine(client, where);
      return stateMachine;
    },
    async executionArn(reference) {
      if (reference.startsWith('arn:')) return reference;
      const machine = await target.stateMachineArn();
      return `${machine.replace(':stateMachine:', ':execution:')}:${reference}`;
    },
    close() {
      client.destroy();
    },
  };
  return target;
}
