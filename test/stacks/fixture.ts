/**
 * Builders for the stack tests: a fresh App per call, with cdk.json's context (the feature flags
 * `cdk synth` uses). Bundling is skipped (the CDK's own `aws:cdk:bundling-stacks` context, what
 * `cdk synth` uses to bundle only selected stacks) so a template test does not run esbuild;
 * cdk-synth.test.ts bundles for real.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { onTestFinished, vi } from 'vitest';
import { type LabConfigOverrides, parseLabConfig } from '../../lab/config.js';
import { projectRoot } from '../../node-app/project-root.js';
import { LabStack } from '../../stacks/lab-stack.js';
import { OperatorStack } from '../../stacks/operator-stack.js';

/**
 * The first synthesis in a test process compiles the CDK's CloudFormation validator
 * (@aws/cloudformation-validate, WebAssembly: about 8 s of CPU), which on a busy 2-core machine
 * took longer than the suite's 30 s. Every stack test file imports this module.
 */
vi.setConfig({ testTimeout: 120_000 });

/** The context of cdk.json: the feature flags (and weak cross-stack references) of the real app. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot(), 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** An App like the real one (cdk.json's context) that synthesizes without bundling. */
export function appWithoutBundling(context: Record<string, unknown> = {}): App {
  // Synthesis writes a cloud assembly; each test's goes to its own temp dir, removed after it.
  const outdir = mkdtempSync(join(tmpdir(), 'scalelab-cdk-test-'));
  onTestFinished(function removeAssembly() {
    rmSync(outdir, { recursive: true, force: true });
  });
  return new App({
    outdir,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
  });
}

/** A fresh lab stack and its template. */
export function labTemplate(overrides: LabConfigOverrides = {}): { stack: LabStack; template: Template } {
  const stack = new LabStack(appWithoutBundling(), 'Lab', { config: parseLabConfig(overrides) });
  return { stack, template: Template.fromStack(stack) };
}

/** A fresh lab and operator; the operator's template. */
export function operatorTemplate(overrides: LabConfigOverrides = {}): {
  lab: LabStack;
  stack: OperatorStack;
  template: Template;
} {
  const app = appWithoutBundling();
  const lab = new LabStack(app, 'Lab', { config: parseLabConfig(overrides) });
  const stack = new OperatorStack(app, 'Operator', { lab });
  return { lab, stack, template: Template.fromStack(stack) };
}

type Json = Record<string, unknown>;

/** Resources of `type` as [logicalId, properties]. */
export function resourcesOf(template: Template, type: string): Array<[string, Json]> {
  return Object.entries(template.findResources(type)).map(([id, resource]) => [
    id,
    ((resource as Json).Properties ?? {}) as Json,
  ]);
}

/** The text of an Fn::Join of strings and Refs, each Ref written `${LogicalId}`, anything else `<ref>`. */
export function joinText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as Json)['Fn::Join'] as [string, unknown[]];
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as Json).Ref;
      return typeof ref === 'string' ? `\${${ref}}` : '<ref>';
    })
    .join(join[0]);
}

/**
 * A user data script as text: the Fn::Base64 / Fn::Join body with every intrinsic (bucket name,
 * region, logical ids) shown as `<ref>`.
 */
export function userDataText(userData: unknown): string {
  return joinText((userData as Json)['Fn::Base64']);
}

/** Every user data script of a template: instances' and launch templates'. */
export function allUserData(template: Template): string[] {
  const scripts: string[] = [];
  for (const [, props] of resourcesOf(template, 'AWS::EC2::Instance')) {
    if (props.UserData) scripts.push(userDataText(props.UserData));
  }
  for (const [, props] of resourcesOf(template, 'AWS::EC2::LaunchTemplate')) {
    const data = props.LaunchTemplateData as Json | undefined;
    if (data?.UserData) scripts.push(userDataText(data.UserData));
  }
  return scripts;
}

/** The logical id of a construct's primary CloudFormation resource (e.g. an L2's `Resource`). */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}
