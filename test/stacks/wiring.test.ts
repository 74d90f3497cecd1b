import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidLabConfig } from '../../lab/workflow-errors.js';
import { EXECUTION_END_HANDLER, HANDLERS, SCALING_EVENT_HANDLER } from '../../lambdas/index.js';
import { HANDLER_NEEDS, handlerNeeds } from '../../stacks/cloud-grants.js';
import { LabWorkflow } from '../../stacks/constructs/lab-workflow.js';
import { CALLBACK_FUNCTION_SECONDS, workflowFunctionTimeouts } from '../../stacks/function-timeouts.js';
import { labLifecycleDefinitionPath } from '../../stacks/operator-stack.js';
import {
  CONFIG_CONTEXT_KEY,
  configFromContext,
  REMOVED_INSTANCE_TYPE_CONTEXT_KEY,
} from '../../stacks/scalelab-app.js';
import { appWithoutBundling } from './fixture.js';

describe('function timeouts', () => {
  it('take the smallest task timeout less 5 s, and a minute for callback-only functions', () => {
    const task = (name: string, seconds: number, resource = 'arn:aws:states:::lambda:invoke') => ({
      Type: 'Task',
      Resource: resource,
      Parameters: { FunctionName: `\${${name}}` },
      TimeoutSeconds: seconds,
      End: true,
    });
    const definition = JSON.stringify({
      StartAt: 'A',
      States: {
        A: { ...task('Step', 120), End: undefined, Next: 'B' },
        B: {
          Type: 'Parallel',
          Next: 'C',
          Branches: [{ StartAt: 'B1', States: { B1: task('Step', 30) } }],
        },
        C: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            StartAt: 'C1',
            States: { C1: task('Wait', 3600, 'arn:aws:states:::lambda:invoke.waitForTaskToken') },
          },
        },
      },
    });
    expect(Object.fromEntries(workflowFunctionTimeouts(definition))).toEqual({
      Step: 25,
      Wait: CALLBACK_FUNCTION_SECONDS,
    });
  });
});

describe('the workflow construct', () => {
  it('refuses functions that do not match the definition placeholders one to one', () => {
    const stack = new Stack(appWithoutBundling(), 'Wiring');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({});'),
    });
    const functions = Object.fromEntries(Object.keys(HANDLERS).map((name) => [name, fn]));
    const { ValidateFunctionArn: _dropped, ...missingOne } = functions;
    expect(
      () =>
        new LabWorkflow(stack, 'Workflow', {
          definitionPath: labLifecycleDefinitionPath(),
          functions: { ...missingOne, ExtraFunctionArn: fn },
          stateMachineName: 'x',
        }),
    ).toThrow(
      `${labLifecycleDefinitionPath()} and the workflow's functions do not match: no function for ValidateFunctionArn; not in the definition: ExtraFunctionArn`,
    );
  });
});

describe('IAM needs', () => {
  it('are recorded for every handler, and only for handlers', () => {
    const dirs = [
      ...Object.values(HANDLERS).map((entry) => entry.dir),
      SCALING_EVENT_HANDLER.dir,
      EXECUTION_END_HANDLER.dir,
    ];
    expect(Object.keys(HANDLER_NEEDS).sort()).toEqual(dirs.sort());
    expect(() => handlerNeeds('new-step')).toThrow(
      'no IAM needs recorded for lambdas/new-step: add it to HANDLER_NEEDS in stacks/cloud-grants.ts',
    );
  });
});

describe('the configuration from the CDK context', () => {
  it('merges overrides given as an object (cdk.json) or as JSON (-c) over the defaults', () => {
    const fromObject = configFromContext(
      appWithoutBundling({ [CONFIG_CONTEXT_KEY]: { section2: { maxSize: 4 } } }),
    );
    expect(fromObject.section2.maxSize).toBe(4);
    const fromJson = configFromContext(
      appWithoutBundling({ [CONFIG_CONTEXT_KEY]: '{"section2":{"targetCpuPercent":60}}' }),
    );
    expect(fromJson.section2).toMatchObject({ targetCpuPercent: 60, maxSize: 3 });
    expect(configFromContext(appWithoutBundling()).section1.instanceCount).toBe(2);
  });

  it('refuses bad JSON and bad values, naming what is wrong', () => {
    expect(() => configFromContext(appWithoutBundling({ [CONFIG_CONTEXT_KEY]: '{nope' }))).toThrow(
      InvalidLabConfig,
    );
    expect(() =>
      configFromContext(appWithoutBundling({ [CONFIG_CONTEXT_KEY]: { section2: { targetCpuPercent: 0 } } })),
    ).toThrow('section2.targetCpuPercent must be a number from 1 to 100 (got 0)');
  });

  it('deploys with profile aws, so the budgets use the AWS timings, and refuses a lab they cannot observe', () => {
    expect(configFromContext(appWithoutBundling()).profile).toBe('aws');
    expect(
      configFromContext(
        appWithoutBundling({ [CONFIG_CONTEXT_KEY]: { profile: 'aws', instanceType: 't2.micro' } }),
      ),
    ).toMatchObject({ profile: 'aws', instanceType: 't2.micro' });
    expect(() =>
      configFromContext(appWithoutBundling({ [CONFIG_CONTEXT_KEY]: { profile: 'local' } })),
    ).toThrow('profile must be "aws" in a deployment (got "local")');
    // 420 s covers the local scale-out budget (385 s), not the AWS one (565 s).
    expect(() =>
      configFromContext(appWithoutBundling({ [CONFIG_CONTEXT_KEY]: { stress: { seconds: 420 } } })),
    ).toThrow("stress.seconds must cover the scale-out budget's upper bound (got 420, need >= 565)");
  });

  it('refuses the former instance-type context key, pointing at the configuration field', () => {
    expect(() =>
      configFromContext(appWithoutBundling({ [REMOVED_INSTANCE_TYPE_CONTEXT_KEY]: 't3.small' })),
    ).toThrow(`set instanceType in ${CONFIG_CONTEXT_KEY}`);
  });
});
