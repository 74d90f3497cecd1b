import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { AWS_ENV } from '../lambdas/cloud/aws-env.js';
import { section1Tags } from '../lambdas/cloud/lab-tags.js';
import {
  EXECUTION_END_HANDLER,
  executionEndPattern,
  HANDLERS,
  SCALING_EVENT_HANDLER,
  scalingEventPattern,
} from '../lambdas/index.js';
import { deployedConfigEnvironment } from '../lambdas/middy/deployed-config.js';
import { OPERATOR_KEY_ENV } from '../lambdas/middy/operator-fetch.js';
import { projectRoot } from '../node-app/project-root.js';
import { type CloudResources, grantCloudNeeds, handlerNeeds } from './cloud-grants.js';
import { ExecutionEndRule } from './constructs/execution-end-rule.js';
import { LabFunction } from './constructs/lab-function.js';
import { operatorKey } from './constructs/lab-load-balancer.js';
import { LabWorkflow } from './constructs/lab-workflow.js';
import { ObserverTable } from './constructs/observer-table.js';
import { ScalingEventRule } from './constructs/scaling-event-rule.js';
import { SlackNotifier } from './constructs/slack-notifier.js';
import { scalingEventFunctionTimeout, workflowFunctionTimeouts } from './function-timeouts.js';
import type { LabStack } from './lab-stack.js';

/** The workflow definition shared with the local engine. */
export function labLifecycleDefinitionPath(): string {
  return join(projectRoot(), 'state-machines', 'lab-lifecycle.asl.json');
}

export interface OperatorStackProps extends StackProps {
  /** The lab the operator drives (its config, instances, group and load balancers). */
  lab: LabStack;
}

/**
 * The operator: the lab-lifecycle state machine, its handlers as Lambda functions, the token
 * table (which also holds the lab's claim), the rule that feeds Auto Scaling events to
 * on-scaling-event, the one that feeds the workflow's ends to on-execution-end, and the Slack
 * notifier.
 * Pay per use only (the webhook secret aside: a few cents a month).
 */
export class OperatorStack extends Stack {
  readonly workflow: LabWorkflow;
  readonly functions: Record<string, LabFunction>;
  readonly observerTable: ObserverTable;
  readonly scalingEventRule: ScalingEventRule;
  readonly executionEndRule: ExecutionEndRule;
  /** Not in `functions`: the notifier is no lab handler and uses no Cloud port. */
  readonly slackNotifier: SlackNotifier;

  constructor(scope: Construct, id: string, props: OperatorStackProps) {
    super(scope, id, props);
    const { lab } = props;
    const config = lab.config;
    this.observerTable = new ObserverTable(this, 'ObserverTable');
    const eventBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const stateMachineName = `${this.stackName}-LabLifecycle`;
    const resources: CloudResources = {
      section1Tags: section1Tags(lab.stackName),
      groupName: config.section2.autoScalingGroupName,
      observerTable: this.observerTable.table,
      eventBus,
      stateMachine: sfn.StateMachine.fromStateMachineName(this, 'WorkflowByName', stateMachineName),
      stateMachineName,
    };
    // From the lab only what a redeploy of it keeps: names, target groups, load balancers
    // (README, "Redeploying"). The section-1 instances are found by tag at run time.
    const environment: Record<string, string> = {
      [AWS_ENV.autoScalingGroupName]: config.section2.autoScalingGroupName,
      [AWS_ENV.labStackName]: lab.stackName,
      [AWS_ENV.webTargetGroupArn]: lab.web.loadBalancer.targetGroup.targetGroupArn,
      [AWS_ENV.scalingTargetGroupArn]: lab.scaling.loadBalancer.targetGroup.targetGroupArn,
      [AWS_ENV.webLoadBalancerUrl]: lab.web.loadBalancer.url,
      [AWS_ENV.scalingLoadBalancerUrl]: lab.scaling.loadBalancer.url,
      [AWS_ENV.observerTableName]: this.observerTable.table.tableName,
      [AWS_ENV.eventBusName]: eventBus.eventBusName,
      // The lab's own configuration: every execution's input is merged over it.
      ...deployedConfigEnvironment(config),
      // Past listeners limited to one network (scalelab:ingressCidr); the lab stack's id.
      [OPERATOR_KEY_ENV]: operatorKey(lab),
    };
    const definitionPath = labLifecycleDefinitionPath();
    const timeouts = workflowFunctionTimeouts(readFileSync(definitionPath, 'utf8'));
    const labFunction = (id: string, dir: string, seconds: number): LabFunction => {
      const fn = new LabFunction(this, id, {
        dir,
        timeout: Duration.seconds(seconds),
        environment,
        description: `scalelab ${dir}`,
      });
      grantCloudNeeds(fn.function, handlerNeeds(dir), resources);
      return fn;
    };
    this.functions = {};
    const workflowFunctions: Record<string, lambda.IFunction> = {};
    for (const [placeholder, entry] of Object.entries(HANDLERS)) {
      const id = placeholder.replace(/FunctionArn$/, '');
      const fn = labFunction(id, entry.dir, timeouts.get(placeholder) ?? 60);
      this.functions[entry.dir] = fn;
      workflowFunctions[placeholder] = fn.function;
    }
    const onScalingEvent = labFunction(
      'OnScalingEvent',
      SCALING_EVENT_HANDLER.dir,
      scalingEventFunctionTimeout(config),
    );
    this.functions[SCALING_EVENT_HANDLER.dir] = onScalingEvent;
    this.workflow = new LabWorkflow(this, 'Workflow', {
      definitionPath,
      functions: workflowFunctions,
      stateMachineName,
    });
    this.scalingEventRule = new ScalingEventRule(this, 'ScalingEvents', {
      eventPattern: scalingEventPattern(config.section2.autoScalingGroupName),
      target: onScalingEvent.function,
    });
    // Tears down after a stop or a timeout, which skip every Catch: as long as tear-down may take.
    const onExecutionEnd = labFunction(
      'OnExecutionEnd',
      EXECUTION_END_HANDLER.dir,
      timeouts.get('TearDownFunctionArn') ?? 60,
    );
    this.functions[EXECUTION_END_HANDLER.dir] = onExecutionEnd;
    this.executionEndRule = new ExecutionEndRule(this, 'ExecutionEnds', {
      eventPattern: executionEndPattern(this.workflow.stateMachine.stateMachineArn),
      target: onExecutionEnd.function,
    });
    this.slackNotifier = new SlackNotifier(this, 'SlackNotifier', {
      // By name, like the grants: the notifier never waits on the state machine's token.
      stateMachineArn: resources.stateMachine.stateMachineArn,
      autoScalingGroupName: config.section2.autoScalingGroupName,
    });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'WorkflowLogGroup', { value: this.workflow.logGroup.logGroupName });
    new CfnOutput(this, 'SlackWebhookSecretArn', {
      value: this.slackNotifier.secret.secretArn,
      description: 'put the Slack webhook URL here: aws secretsmanager put-secret-value --secret-id <this>',
    });
    new CfnOutput(this, 'SlackWebhookSecretName', { value: this.slackNotifier.secret.secretName });
  }
}
