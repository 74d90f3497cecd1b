import { Stack, type Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { addScalelabStacks } from '../../stacks/scalelab-app.js';
import { appWithoutBundling } from './fixture.js';

/** Every acknowledged AwsSolutions rule in the app: [construct path, rule id, reason]. */
function acknowledgments(app: Stage): Array<[string, string, string]> {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .filter(([id]) => id.includes('AwsSolutions-'))
      .map(([id, reason]): [string, string, string] => [construct.node.path, id, reason]),
  );
}

// Synthesizing the whole app with cdk-nag takes ~15 s alone and over 30 s on a busy 2-core host
// (seen in CI with other work running): an honest limit, not the default 30 s.
describe("cdk-nag's AwsSolutions pack", { timeout: 120_000 }, () => {
  it('finds no unacknowledged error in the real app', () => {
    const app = appWithoutBundling();
    addScalelabStacks(app);
    expect(
      (app as unknown as { _validationPlugins: Array<{ name: string }> })._validationPlugins.map(
        (p) => p.name,
      ),
    ).toEqual(['AwsSolutions']);
    // A violation makes synth throw ValidationFailed with the report.
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synthesis on a finding nobody acknowledged (the check is live)', () => {
    const app = appWithoutBundling();
    const stack = new Stack(app, 'Open');
    const group = new ec2.SecurityGroup(stack, 'Group', {
      vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }),
    });
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(5000));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-EC23/);
  });

  it('has a one-line reason on every acknowledgment', () => {
    const app = appWithoutBundling();
    addScalelabStacks(app);
    const acknowledged = acknowledgments(app);
    expect(acknowledged.length).toBeGreaterThan(10);
    for (const [path, id, reason] of acknowledged) {
      expect(reason.trim().length, `${path} ${id}`).toBeGreaterThan(20);
      expect(reason, `${path} ${id}`).not.toContain('\n');
    }
    const rules = new Set(acknowledged.map(([, id]) => id.replace(/^.*?(AwsSolutions-[A-Z]+\d+).*$/, '$1')));
    expect([...rules].sort()).toEqual([
      'AwsSolutions-AS3',
      'AwsSolutions-DDB3',
      'AwsSolutions-EC23',
      'AwsSolutions-EC29',
      'AwsSolutions-ELB2',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
    ]);
  });
});
