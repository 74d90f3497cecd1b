import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type LabConfig, parseLabConfig } from '../lambdas/shared/lab-config.js';
import { LabStack } from './lab-stack.js';
import { OperatorStack } from './operator-stack.js';

/** Context key holding lab configuration overrides (an object in cdk.json, or JSON on `-c`). */
export const CONFIG_CONTEXT_KEY = 'scalelab:config';
/** Context key for an instance type other than t3.micro. */
export const INSTANCE_TYPE_CONTEXT_KEY = 'scalelab:instanceType';
/** The stacks' names: a contract (renaming one creates a second lab). */
export const LAB_STACK_NAME = 'ScalelabLab';
export const OPERATOR_STACK_NAME = 'ScalelabOperator';

export interface ScalelabStacks {
  config: LabConfig;
  lab: LabStack;
  operator: OperatorStack;
}

/** The configuration from the app's context: overrides merged over the seed lab's defaults. */
export function configFromContext(app: App): LabConfig {
  const raw: unknown = app.node.tryGetContext(CONFIG_CONTEXT_KEY);
  return parseLabConfig(typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {}));
}

/**
 * Adds scalelab's two stacks to `app`, environment-agnostic (no lookups: synth works offline
 * with no credentials), checked by cdk-nag's AwsSolutions pack.
 */
export function addScalelabStacks(app: App): ScalelabStacks {
  const config = configFromContext(app);
  const instanceType: unknown = app.node.tryGetContext(INSTANCE_TYPE_CONTEXT_KEY);
  const lab = new LabStack(app, LAB_STACK_NAME, {
    config,
    ...(typeof instanceType === 'string' ? { instanceType } : {}),
    description:
      'scalelab: the lab (VPC, two load balancers, section-1 instances, Auto Scaling group), idle at zero instances',
  });
  const operator = new OperatorStack(app, OPERATOR_STACK_NAME, {
    lab,
    description:
      'scalelab: the operator (lab-lifecycle state machine, handlers, token table, scaling-event rule)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, lab, operator };
}
