/**
 * Which AWS calls each handler makes through the aws adapter (lambdas/cloud/aws-cloud.ts), and
 * the grant that allows exactly those calls. A handler gets no permission it does not use.
 */

import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';

/** One adapter capability, named after the Cloud port methods that need it. */
export type CloudNeed =
  /** putEvents (every workflow step announces its phase; the verdict) */
  | 'putEvents'
  /** startSection1Instances (after describeSection1: the instances are found by tag) */
  | 'startSection1'
  /** stopSection1Instances (after describeSection1) */
  | 'stopSection1'
  /** describeSection1Instances, and finding the instances to start or stop */
  | 'describeSection1'
  /** updateGroupSize */
  | 'updateGroup'
  /** describeGroup */
  | 'describeGroup'
  /** describeTargetHealth */
  | 'targetHealth'
  /** armObserver */
  | 'armObserver'
  /** getArmedObservers */
  | 'readObservers'
  /** disarm */
  | 'disarm'
  /** sendTaskSuccess / sendTaskFailure / sendTaskHeartbeat */
  | 'taskResponse'
  /** claimLab / takeOverLab / labHolder (the guard item of the observer table) */
  | 'claimLab'
  /** releaseLab */
  | 'releaseLab'
  /** executionStatus (DescribeExecution of the workflow's executions) */
  | 'executionStatus'
  /** completeLifecycleAction (the lab group's terminate hook) */
  | 'completeLifecycleAction'
  /** recordInstanceMoment (an instance's item of the observer table) */
  | 'recordMoment'
  /** getInstanceTimelines (a Scan of the observer table for the instances' items) */
  | 'readMoments';

// Read from each handler's core and the shared modules it calls (observe.ts, group-snapshot.ts).
const SNAPSHOT: CloudNeed[] = ['describeGroup', 'targetHealth'];
const COMPLETE_IF_HELD: CloudNeed[] = [...SNAPSHOT, 'taskResponse', 'disarm'];
/** lambdas/lab-guard/claim.ts and at-rest.ts. */
const CLAIM: CloudNeed[] = ['claimLab', 'executionStatus'];
const AT_REST: CloudNeed[] = ['describeSection1', 'describeGroup'];
const TEAR_DOWN: CloudNeed[] = [
  'putEvents',
  ...CLAIM,
  'releaseLab',
  'stopSection1',
  'updateGroup',
  ...AT_REST,
  'readObservers',
  'disarm',
];

/** The needs of each handler, by its folder under lambdas/. */
export const HANDLER_NEEDS: Readonly<Record<string, readonly CloudNeed[]>> = {
  validate: ['putEvents', ...CLAIM, ...AT_REST],
  provision: ['putEvents', ...CLAIM, 'describeSection1', 'startSection1', 'updateGroup'],
  'check-health': ['putEvents', ...CLAIM, 'describeSection1', ...SNAPSHOT],
  'verify-load-balancing': ['putEvents', ...CLAIM],
  'start-stress': ['putEvents', ...CLAIM],
  'arm-observer': ['putEvents', ...CLAIM, 'armObserver', ...COMPLETE_IF_HELD],
  'tear-down': TEAR_DOWN,
  verdict: ['putEvents', 'readMoments'],
  'on-scaling-event': [...COMPLETE_IF_HELD, 'readObservers', 'completeLifecycleAction', 'recordMoment'],
  // Runs tear-down's core for an execution that ended holding the lab, then announces it.
  'on-execution-end': TEAR_DOWN,
};

/** The resources the adapter's calls act on. */
export interface CloudResources {
  /**
   * The tags of the section-1 instances (lambdas/cloud/lab-tags.ts), which Start/StopInstances
   * are scoped by: their ids change whenever a redeploy replaces them.
   */
  section1Tags: Readonly<Record<string, string>>;
  /** The Auto Scaling group's name (a physical name from the lab configuration). */
  groupName: string;
  observerTable: dynamodb.ITable;
  eventBus: events.IEventBus;
  /** The workflow, by name: a reference by ARN token would make a cycle (workflow → function → policy). */
  stateMachine: sfn.IStateMachine;
  /** Its name as given (the imported reference's name is a token, no good in a nag finding's id). */
  stateMachineName: string;
}

/** Describe calls have no resource-level permissions in IAM: '*' is the only resource they accept. */
const DESCRIBE_ONLY_STAR = ['*'];

/** Any instance of the account and region: the tag condition picks the lab's. */
function anyInstanceArn(scope: iam.IGrantable): string {
  return Stack.of(scope as unknown as IConstruct).formatArn({
    service: 'ec2',
    resource: 'instance',
    resourceName: '*',
  });
}

/** `action` on the instances that carry every one of `tags` (aws:ResourceTag), and no other. */
function grantOnTagged(
  grantee: iam.IGrantable,
  action: string,
  tags: Readonly<Record<string, string>>,
): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: [action],
    resourceArns: [anyInstanceArn(grantee)],
    conditions: {
      StringEquals: Object.fromEntries(
        Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
      ),
    },
  });
}

/**
 * A group's ARN holds a generated id, so IAM matches it with '*'; built from the name, not the
 * group's token, so the nag finding it raises has a name a suppression can state.
 */
export function groupArn(scope: IConstruct, groupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'autoscaling',
    resource: 'autoScalingGroup',
    resourceName: `*:autoScalingGroupName/${groupName}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Allows `actions` on the Auto Scaling group named `groupName` only, and acknowledges the one
 * wildcard IAM imposes there (the group's generated id), naming the group.
 */
export function grantOnGroup(
  grantee: iam.IGrantable & IConstruct,
  actions: string[],
  groupName: string,
): void {
  iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [groupArn(grantee, groupName)] });
  Validations.of(grantee).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/${groupName}]`,
    reason: "the '*' is the group's generated id; the name pins the one lab group",
  });
}

function grantActions(grantee: iam.IGrantable, actions: string[], resourceArns: string[]): void {
  iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
}

const GRANTS: Record<CloudNeed, (grantee: iam.IGrantable & IConstruct, r: CloudResources) => void> = {
  putEvents: (grantee, r) => r.eventBus.grantPutEventsTo(grantee),
  startSection1: (grantee, r) => grantOnTagged(grantee, 'ec2:StartInstances', r.section1Tags),
  stopSection1: (grantee, r) => grantOnTagged(grantee, 'ec2:StopInstances', r.section1Tags),
  describeSection1: (grantee) => grantActions(grantee, ['ec2:DescribeInstances'], DESCRIBE_ONLY_STAR),
  updateGroup: (grantee, r) => grantOnGroup(grantee, ['autoscaling:UpdateAutoScalingGroup'], r.groupName),
  describeGroup: (grantee) =>
    grantActions(grantee, ['autoscaling:DescribeAutoScalingGroups'], DESCRIBE_ONLY_STAR),
  targetHealth: (grantee) =>
    grantActions(grantee, ['elasticloadbalancing:DescribeTargetHealth'], DESCRIBE_ONLY_STAR),
  armObserver: (grantee, r) => r.observerTable.grant(grantee, 'dynamodb:PutItem'),
  readObservers: (grantee, r) => r.observerTable.grant(grantee, 'dynamodb:Scan'),
  disarm: (grantee, r) => r.observerTable.grant(grantee, 'dynamodb:DeleteItem'),
  taskResponse: (grantee, r) => r.stateMachine.grantTaskResponse(grantee),
  claimLab: (grantee, r) => r.observerTable.grant(grantee, 'dynamodb:PutItem', 'dynamodb:GetItem'),
  releaseLab: (grantee, r) => r.observerTable.grant(grantee, 'dynamodb:DeleteItem'),
  executionStatus: (grantee, r) => r.stateMachine.grantExecution(grantee, 'states:DescribeExecution'),
  completeLifecycleAction: (grantee, r) =>
    grantOnGroup(grantee, ['autoscaling:CompleteLifecycleAction'], r.groupName),
  recordMoment: (grantee, r) => r.observerTable.grant(grantee, 'dynamodb:UpdateItem'),
  // The instances' items share the table with the observers and have no key of their own to Query.
  readMoments: (grantee, r) => r.observerTable.grant(grantee, 'dynamodb:Scan'),
};

const DESCRIBE_NEEDS: ReadonlySet<CloudNeed> = new Set(['describeSection1', 'describeGroup', 'targetHealth']);

/**
 * Grants `grantee` (a construct: its role's policy is below it) exactly what `needs` call for,
 * and acknowledges the wildcards IAM itself imposes, naming each.
 */
export function grantCloudNeeds(
  grantee: iam.IGrantable & IConstruct,
  needs: readonly CloudNeed[],
  resources: CloudResources,
): void {
  const unique = new Set(needs);
  for (const need of unique) GRANTS[need](grantee, resources);
  if ([...unique].some((need) => DESCRIBE_NEEDS.has(need))) {
    Validations.of(grantee).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'DescribeInstances, DescribeAutoScalingGroups and DescribeTargetHealth accept only Resource "*"',
    });
  }
  if (unique.has('startSection1') || unique.has('stopSection1')) {
    Validations.of(grantee).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]',
      reason:
        'the section-1 instance ids change when a redeploy replaces them; an aws:ResourceTag condition pins them',
    });
  }
  if (unique.has('executionStatus')) {
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${resources.stateMachineName}:*]`,
      reason: "the '*' is the execution's name, unknown at deploy; the state machine's name pins the lab's",
    });
  }
}

/** The needs of the handler in `lambdas/<dir>`; throws for a handler this table does not know. */
export function handlerNeeds(dir: string): readonly CloudNeed[] {
  const needs = HANDLER_NEEDS[dir];
  if (!needs) {
    throw new Error(
      `no IAM needs recorded for lambdas/${dir}: add it to HANDLER_NEEDS in stacks/cloud-grants.ts`,
    );
  }
  return needs;
}
