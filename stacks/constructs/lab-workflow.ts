import { readFileSync } from 'node:fs';
import { type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LAB_LOG_RETENTION } from './lab-function.js';

export interface LabWorkflowProps {
  /** The ASL file, used byte for byte (the local engine runs the same file). */
  definitionPath: string;
  /** Each `${Name}` placeholder of the definition and the function that replaces it. */
  functions: Readonly<Record<string, lambda.IFunction>>;
  /** A physical name lets handlers be granted task responses without a dependency cycle. */
  stateMachineName: string;
}

/** Where Step Functions' console puts state machine logs, and where AWS advises they go. */
export const WORKFLOW_LOG_GROUP_PREFIX = '/aws/vendedlogs/states/';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The `${Name}` placeholders used in an ASL text, sorted. */
export function definitionPlaceholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))].sort();
}

/** Refuses a definition and a set of functions that do not match one to one. */
function checkSubstitutions(path: string, definition: string, names: string[]): void {
  const used = definitionPlaceholders(definition);
  const missing = used.filter((name) => !names.includes(name));
  const unused = names.filter((name) => !used.includes(name));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(
      `${path} and the workflow's functions do not match: no function for ${missing.join(', ') || '-'}; not in the definition: ${unused.join(', ') || '-'}`,
    );
  }
}

function logicalId(fn: lambda.IFunction): string {
  return Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
}

/**
 * The lab lifecycle workflow: a Standard state machine whose definition is the shared ASL file
 * with `definitionSubstitutions` for the function ARNs, logging every event (without execution
 * data: inputs carry task tokens) and traced with X-Ray.
 */
export class LabWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LabWorkflowProps) {
    super(scope, id);
    const definition = readFileSync(props.definitionPath, 'utf8');
    checkSubstitutions(props.definitionPath, definition, Object.keys(props.functions));
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // Under /aws/vendedlogs/ log delivery needs no entry in the account's CloudWatch Logs
      // resource policy, which is capped at 5,120 characters (Step Functions best practices).
      logGroupName: `${WORKFLOW_LOG_GROUP_PREFIX}${props.stateMachineName}`,
      retention: LAB_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: Object.fromEntries(
        Object.entries(props.functions).map(([name, fn]) => [name, fn.functionArn]),
      ),
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const fn of Object.values(props.functions)) {
      fn.grantInvoke(this.stateMachine);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
        reason: "grantInvoke also covers the function's versions and aliases (ARN suffix ':*')",
      });
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and log delivery (CreateLogDelivery, PutTraceSegments…) accept only Resource "*"',
    });
  }
}
