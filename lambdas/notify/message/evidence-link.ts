/**
 * Where a message points for the evidence of an execution: on AWS its page in the Step Functions
 * console (the graph, the failing step, its input and error), locally its run folder.
 */
import { join } from 'node:path';
import { linkOrPath } from './slack-message.js';

/** The evidenceLink option of formatMessage. */
export type EvidenceLink = (executionName: string, executionArn?: string) => string;

/** Where `scalelab run` writes its run folders, relative to the project. */
export const LOCAL_RUNS_DIR = '.scalelab/runs';

/** Locally: the run folder `.scalelab/runs/<name>/` (under `runsDir` when given). */
export function localRunFolderLink(runsDir = LOCAL_RUNS_DIR): EvidenceLink {
  return function runFolder(executionName: string): string {
    return `${join(runsDir, executionName)}/`;
  };
}

function regionOf(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/**
 * On AWS: the console page of the execution. Its ARN comes with the event; when it does not, it
 * is built from the state machine's ARN (`SCALELAB_STATE_MACHINE_ARN`) and the execution's name.
 */
export function awsConsoleLink(stateMachineArn?: string): EvidenceLink {
  return function consolePage(executionName: string, executionArn?: string): string {
    const arn =
      executionArn ??
      (stateMachineArn
        ? `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`
        : undefined);
    const region = (arn && regionOf(arn)) ?? process.env.AWS_REGION ?? 'us-east-1';
    const base = `https://${region}.console.aws.amazon.com/states/home?region=${region}#`;
    return arn ? `${base}/v2/executions/details/${arn}` : `${base}/statemachines`;
  };
}

/**
 * The context line every execution message ends with: where its evidence is (`options` is
 * formatMessage's). `executionArn` is '' when the event did not carry one: the link is then built
 * from the name.
 */
export function evidenceLine(
  options: { evidenceLink: EvidenceLink },
  executionName: string,
  executionArn: string,
): string {
  const target = options.evidenceLink(executionName, executionArn || undefined);
  return `Evidence: ${linkOrPath(target, 'execution details')}`;
}
