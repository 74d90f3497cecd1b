import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { assertBudgetsFitWorkflow, computeBudgets } from '../lab/budgets.js';
import { type LabConfig, parseLabConfig } from '../lab/config.js';
import { InvalidLabConfig } from '../lab/workflow-errors.js';
import { LAB_STACK_NAME } from '../lambdas/cloud/lab-tags.js';
import { LabStack } from './lab-stack.js';
import { OperatorStack } from './operator-stack.js';

/** Context key holding lab configuration overrides (an object in cdk.json, or JSON on `-c`). */
export const CONFIG_CONTEXT_KEY = 'scalelab:config';
/**
 * A former context key: the instance type is the configuration's `instanceType` now, since the
 * stress and the local cloud's vCPUs follow from it too. Refused rather than silently ignored.
 */
export const REMOVED_INSTANCE_TYPE_CONTEXT_KEY = 'scalelab:instanceType';
/** Context key for the IPv4 CIDR both load balancers accept HTTP from (default: anyone). */
export const INGRESS_CIDR_CONTEXT_KEY = 'scalelab:ingressCidr';
/**
 * Weak cross-stack references (Fn::GetStackOutput, no exports): a new app bundle replaces the
 * section-1 instances, and a strong export of their ids would refuse that change while the
 * operator imports it. cdk.json sets the same; tests build the app without cdk.json.
 */
export const CROSS_STACK_REFERENCES_CONTEXT_KEY = '@aws-cdk/core:defaultCrossStackReferences';

/** The stacks' names: a contract (renaming one creates a second lab). */
export { LAB_STACK_NAME };
export const OPERATOR_STACK_NAME = 'ScalelabOperator';

export interface ScalelabStacks {
  config: LabConfig;
  lab: LabStack;
  operator: OperatorStack;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidLabConfig(`context ${CONFIG_CONTEXT_KEY} must be JSON: ${String(error)}`, {
      cause: error,
    });
  }
}

/**
 * The configuration from the app's context: overrides merged over the seed lab's defaults, with
 * profile "aws" (the budgets' AWS timings, lab/timings.ts). Refused at synth, like the workflow's
 * Validate step would refuse it, if the lab could not be observed with it.
 */
export function configFromContext(app: App): LabConfig {
  if (app.node.tryGetContext(REMOVED_INSTANCE_TYPE_CONTEXT_KEY) !== undefined) {
    throw new InvalidLabConfig(
      `context ${REMOVED_INSTANCE_TYPE_CONTEXT_KEY} is no longer read: set instanceType in ${CONFIG_CONTEXT_KEY}, ` +
        `e.g. -c '${CONFIG_CONTEXT_KEY}={"instanceType":"t3.small"}'`,
    );
  }
  const raw: unknown = app.node.tryGetContext(CONFIG_CONTEXT_KEY);
  const overrides: unknown = typeof raw === 'string' ? parseJson(raw) : (raw ?? {});
  const parsed = parseLabConfig(overrides);
  if (
    parsed.profile !== 'aws' &&
    typeof overrides === 'object' &&
    overrides !== null &&
    'profile' in overrides
  ) {
    throw new InvalidLabConfig(`profile must be "aws" in a deployment (got "${parsed.profile}")`);
  }
  const config: LabConfig = { ...parsed, profile: 'aws' };
  assertBudgetsFitWorkflow(config, computeBudgets(config));
  return config;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * The IPv4 CIDR in context `scalelab:ingressCidr`, or undefined when unset. Refuses, naming the
 * value, anything that is not a network address with its prefix length (203.0.113.7/32,
 * 198.51.100.0/24): a security group rule would fail only at deploy, after the lab's other
 * resources were created.
 */
export function ingressCidrFromContext(app: App): string | undefined {
  const raw: unknown = app.node.tryGetContext(INGRESS_CIDR_CONTEXT_KEY);
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const refuse = (why: string): never => {
    throw new Error(`context ${INGRESS_CIDR_CONTEXT_KEY} ${JSON.stringify(raw)} ${why}`);
  };
  const match = IPV4_CIDR.exec(text);
  if (!match) {
    const single = /^\d{1,3}(\.\d{1,3}){3}$/.test(text) ? `; one address is ${text}/32` : '';
    return refuse(`is not an IPv4 CIDR such as 203.0.113.7/32${single}`);
  }
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) {
    return refuse('is not an IPv4 CIDR: each number is 0-255 and the prefix length 0-32');
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  if (network !== address) {
    const dotted = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    return refuse(`has host bits set: the network is ${dotted}/${prefix}`);
  }
  return text;
}

/**
 * Adds scalelab's two stacks to `app`, environment-agnostic (no lookups: synth works offline
 * with no credentials), checked by cdk-nag's AwsSolutions pack.
 */
export function addScalelabStacks(app: App): ScalelabStacks {
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES_CONTEXT_KEY) === undefined) {
    app.node.setContext(CROSS_STACK_REFERENCES_CONTEXT_KEY, 'weak');
  }
  const config = configFromContext(app);
  const ingressCidr = ingressCidrFromContext(app);
  const lab = new LabStack(app, LAB_STACK_NAME, {
    config,
    ...(ingressCidr ? { ingressCidr } : {}),
    description:
      'scalelab: the lab (VPC, two load balancers, section-1 instances, Auto Scaling group), idle at zero instances',
  });
  const operator = new OperatorStack(app, OPERATOR_STACK_NAME, {
    lab,
    description:
      'scalelab: the operator (lab-lifecycle state machine, handlers, token table, scaling-event rule, Slack notifier)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, lab, operator };
}
