/**
 * What `npx cdk destroy --all` leaves of the two stacks: nothing. CloudFormation deletes what its
 * templates hold; what a service creates on its own (a Lambda function's default log group) would
 * stay, so every function must log to a group of its stack. CDK assets stay in the bootstrap
 * bucket (README, "What destroy leaves").
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addScalelabStacks } from '../../stacks/scalelab-app.js';
import { appWithoutBundling } from './fixture.js';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties?: Json;
  DeletionPolicy?: string;
}

/** Both stacks' templates, by stack name. */
function templates(): Array<[string, Record<string, Resource>]> {
  const { lab, operator } = addScalelabStacks(appWithoutBundling());
  return [lab, operator].map((stack) => [
    stack.stackName,
    Template.fromStack(stack).toJSON().Resources as Record<string, Resource>,
  ]);
}

describe('cdk destroy', () => {
  it('deletes every resource of both stacks (no Retain or Snapshot policy)', () => {
    for (const [stack, resources] of templates()) {
      for (const [id, resource] of Object.entries(resources)) {
        expect(resource.DeletionPolicy ?? 'Delete', `${stack} ${id}`).toBe('Delete');
      }
    }
  });

  it("deletes every function's logs: each logs to a group of its stack, with a retention", () => {
    let functions = 0;
    for (const [stack, resources] of templates()) {
      for (const [id, resource] of Object.entries(resources)) {
        if (resource.Type !== 'AWS::Lambda::Function') continue;
        functions += 1;
        const logGroupId = ((resource.Properties?.LoggingConfig as Json | undefined)?.LogGroup as Json)?.Ref;
        const logGroup = resources[String(logGroupId)];
        expect(logGroup?.Type, `${stack} ${id} logs to a log group of its stack`).toBe('AWS::Logs::LogGroup');
        expect(logGroup?.Properties?.RetentionInDays, `${stack} ${id}`).toBeGreaterThan(0);
      }
    }
    // Eleven operator functions; the lab's stop-at-deploy and default-security-group providers.
    expect(functions).toBe(13);
  });
});
