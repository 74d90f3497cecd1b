import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { LAUNCH_HOOK, TERMINATE_HOOK } from '../../lab/lifecycle-hooks.js';
import { TIMING_ASSUMPTIONS } from '../../lab/timings.js';
import { DRAIN_WAIT_SECONDS } from '../../lambdas/on-scaling-event/lifecycle.js';
import { matchesPattern } from '../../local/eventbridge/index.js';
import { CLOUD_INIT_INSTANCE_ID_FILE } from '../../stacks/constructs/instance-app.js';
import { scalingEventFunctionTimeout } from '../../stacks/function-timeouts.js';
import { awsExampleEvent, lifecycleEvent } from '../lambdas/lifecycle-events.js';
import {
  joinText,
  labTemplate,
  logicalIdOf,
  operatorTemplate,
  resourcesOf,
  userDataText,
} from './fixture.js';

type Json = Record<string, unknown>;

const GROUP_ARN = (name: string) =>
  `arn:\${AWS::Partition}:autoscaling:\${AWS::Region}:\${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/${name}`;

function statementsOfRole(template: ReturnType<typeof labTemplate>['template'], role: RegExp): Json[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, props]) => role.test(JSON.stringify(props.Roles)))
    .flatMap(([, props]) => (props.PolicyDocument as { Statement: Json[] }).Statement);
}

describe('the section-2 lifecycle hooks', () => {
  it('hold a launching instance (ABANDON after 300 s) and a terminating one (CONTINUE after 60 s)', () => {
    const { stack, template } = labTemplate();
    const hooks = resourcesOf(template, 'AWS::AutoScaling::LifecycleHook').map(([, props]) => props);
    const group = { Ref: logicalIdOf(stack.scaling.group) };
    expect(hooks).toEqual([
      {
        AutoScalingGroupName: group,
        LifecycleHookName: 'scalelab-wait-for-app',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        DefaultResult: 'ABANDON',
        HeartbeatTimeout: 300,
      },
      {
        AutoScalingGroupName: group,
        LifecycleHookName: 'scalelab-wait-for-drain',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        DefaultResult: 'CONTINUE',
        HeartbeatTimeout: 60,
      },
    ]);
    // No SNS/SQS target and so no role for Auto Scaling: the events reach EventBridge on their own.
    for (const hook of hooks) expect(hook.RoleARN).toBeUndefined();
  });

  it("give a new instance's boot room: the launch timeout outlasts AWS's boot upper bound by minutes", () => {
    expect(LAUNCH_HOOK.heartbeatTimeoutSeconds).toBeGreaterThanOrEqual(
      TIMING_ASSUMPTIONS.aws.instanceBootUpper.value + 60,
    );
    // PutLifecycleHook's range.
    for (const hook of [LAUNCH_HOOK, TERMINATE_HOOK]) {
      expect(hook.heartbeatTimeoutSeconds).toBeGreaterThanOrEqual(30);
      expect(hook.heartbeatTimeoutSeconds).toBeLessThanOrEqual(7200);
    }
  });

  it('let the instance complete its own launch action on exit: CONTINUE once the app answers, else ABANDON', () => {
    const { stack, template } = labTemplate();
    const [, launchTemplate] = resourcesOf(template, 'AWS::EC2::LaunchTemplate').find(([id]) =>
      id.startsWith('ScalingLaunchTemplate'),
    )!;
    const script = userDataText((launchTemplate.LaunchTemplateData as Json).UserData);
    const trap = script.slice(script.indexOf('function exitTrap(){'), script.indexOf('trap exitTrap EXIT'));
    expect(trap).toContain(
      'if [ "$exitCode" -eq 0 ]; then launchResult=CONTINUE; else launchResult=ABANDON; fi',
    );
    expect(trap).toContain(
      `aws autoscaling complete-lifecycle-action --region \${AWS::Region} --auto-scaling-group-name scalelab-serve ` +
        `--lifecycle-hook-name scalelab-wait-for-app --instance-id "$(cat ${CLOUD_INIT_INSTANCE_ID_FILE})" ` +
        '--lifecycle-action-result "$launchResult" || true',
    );
    // The script exits 0 only from the loop that saw the app answer.
    expect(script.trimEnd().endsWith('&& exit 0; sleep 1; done; exit 1')).toBe(true);
    // Section 1 has no group and no hook: its user data completes nothing.
    for (const instance of stack.web.instances) {
      const web = userDataText(template.toJSON().Resources[logicalIdOf(instance)].Properties.UserData);
      expect(web).not.toContain('complete-lifecycle-action');
    }
  });

  it('let section-2 instances complete lifecycle actions of their own group only, and heartbeat none', () => {
    const { template } = labTemplate({ section2: { autoScalingGroupName: 'course-42' } });
    const statements = statementsOfRole(template, /ScalingInstanceRole/).filter((s) =>
      String(s.Action).startsWith('autoscaling:'),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe('autoscaling:CompleteLifecycleAction');
    expect(joinText(statements[0]?.Resource)).toBe(GROUP_ARN('course-42'));
    expect(statementsOfRole(template, /WebInstanceRole/).map((s) => s.Action)).toEqual(['s3:GetObject']);
  });
});

describe("on-scaling-event's part in the hooks", () => {
  it('may complete lifecycle actions of the lab group only, and write instance moments to its table', () => {
    const { stack, template } = operatorTemplate({ section2: { autoScalingGroupName: 'course-42' } });
    const fn = stack.functions['on-scaling-event']!.function;
    const statements = statementsOfRole(template, new RegExp(logicalIdOf(fn.role!)));
    const complete = statements.filter((s) => JSON.stringify(s.Action).includes('CompleteLifecycleAction'));
    expect(complete).toHaveLength(1);
    expect(complete[0]?.Action).toBe('autoscaling:CompleteLifecycleAction');
    expect(joinText(complete[0]?.Resource)).toBe(GROUP_ARN('course-42'));
    const update = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:UpdateItem'));
    expect(update.map((s) => s.Action)).toEqual(['dynamodb:UpdateItem']);
    expect(JSON.stringify(update[0]?.Resource)).toContain(logicalIdOf(stack.observerTable.table));
    // No other function may complete a lifecycle action.
    for (const [dir, other] of Object.entries(stack.functions)) {
      if (dir === 'on-scaling-event') continue;
      const actions = statementsOfRole(template, new RegExp(logicalIdOf(other.function.role!))).flatMap((s) =>
        [s.Action].flat(),
      );
      expect(actions, dir).not.toContain('autoscaling:CompleteLifecycleAction');
    }
  });

  it("gets the lab hooks' lifecycle events of the lab group, and no other group's or hook's", () => {
    const { stack, template } = operatorTemplate();
    const rule = template.toJSON().Resources[logicalIdOf(stack.scalingEventRule.rule)].Properties as Json;
    const pattern = rule.EventPattern as Json;
    expect(matchesPattern(pattern, lifecycleEvent('launch'))).toBe(true);
    expect(matchesPattern(pattern, lifecycleEvent('terminate'))).toBe(true);
    expect(matchesPattern(pattern, awsExampleEvent('launch'))).toBe(false);
    expect(matchesPattern(pattern, lifecycleEvent('launch', { AutoScalingGroupName: 'someone-else' }))).toBe(
      false,
    );
    expect(
      matchesPattern(pattern, lifecycleEvent('terminate', { LifecycleHookName: 'my-lifecycle-hook' })),
    ).toBe(false);
    const launched = { ...lifecycleEvent('launch'), 'detail-type': 'EC2 Instance Launch Successful' };
    expect(matchesPattern(pattern, launched)).toBe(true);
  });
});

describe("the verdict's part in the timeline", () => {
  it('may Scan its table for the instance moments, and write nothing to it', () => {
    const { stack, template } = operatorTemplate();
    const fn = stack.functions.verdict!.function;
    const statements = statementsOfRole(template, new RegExp(logicalIdOf(fn.role!)));
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo.map((s) => s.Action)).toEqual(['dynamodb:Scan']);
    expect(JSON.stringify(dynamo[0]?.Resource)).toContain(logicalIdOf(stack.observerTable.table));
    expect(JSON.stringify(dynamo[0]?.Resource)).not.toContain('"*"');
  });
});

describe("on-scaling-event's timeout", () => {
  it('covers the drain wait even when the health poll after a launch is shorter', () => {
    const quick = parseLabConfig({
      instanceBootSeconds: 0,
      healthCheck: { intervalSeconds: 5, timeoutSeconds: 2 },
    });
    expect(scalingEventFunctionTimeout(quick)).toBe(DRAIN_WAIT_SECONDS + 60);
    expect(DRAIN_WAIT_SECONDS).toBeLessThan(TERMINATE_HOOK.heartbeatTimeoutSeconds);
  });
});
