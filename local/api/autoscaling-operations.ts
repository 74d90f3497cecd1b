/**
 * The Auto Scaling operations the endpoint serves (AWS query protocol) over the local Auto Scaling
 * service, whose results already have the SDK's shapes and member names.
 */
import type { LifecycleActionResult } from '../../lab/aws-facts.js';
import {
  AlreadyExistsFault,
  LimitExceededFault,
  type LocalAutoScaling,
  ValidationError,
} from '../autoscaling/index.js';
import { QueryError } from './query/errors.js';
import type { QueryOperation, QueryService } from './query/handler.js';
import { pageOf } from './query/pages.js';
import type { QueryParams } from './query/params.js';

const AUTOSCALING_VERSION = '2011-01-01';

function invalidNextToken(): QueryError {
  return new QueryError('InvalidNextToken', 'The token provided is not valid');
}

/** MaxRecords (1–100) and NextToken, AWS's defaults when absent. */
function pageParams(params: QueryParams, defaultSize: number) {
  return {
    size: params.integer('MaxRecords', { min: 1, max: 100 }) ?? defaultSize,
    token: params.string('NextToken'),
  };
}

/**
 * The groups a describe call may look into: a named group that does not exist lists nothing
 * (AWS's describe calls filter, they do not fail on an unknown name).
 */
function knownGroup(autoscaling: LocalAutoScaling, name: string | undefined): boolean {
  return name === undefined || autoscaling.describeAutoScalingGroups([name]).length > 0;
}

function describeAutoScalingGroups(autoscaling: LocalAutoScaling): QueryOperation {
  return (params) => {
    params.only('AutoScalingGroupNames', 'MaxRecords', 'NextToken', 'IncludeInstances');
    const includeInstances = params.boolean('IncludeInstances') ?? true;
    const groups = autoscaling
      .describeAutoScalingGroups(params.strings('AutoScalingGroupNames'))
      .map((group) => (includeInstances ? group : { ...group, Instances: undefined }));
    const page = pageOf(groups, pageParams(params, 50), invalidNextToken);
    return { AutoScalingGroups: page.items, NextToken: page.nextToken };
  };
}

/** The most InstanceIds and MaxRecords DescribeAutoScalingInstances takes (documented). */
const MAX_INSTANCE_RECORDS = 50;

/**
 * Every group's instances as DescribeAutoScalingInstances lists them (group by group, in launch
 * order); an id no group has is left out without an error, as AWS documents.
 */
function describeAutoScalingInstances(autoscaling: LocalAutoScaling): QueryOperation {
  return (params) => {
    params.only('InstanceIds', 'MaxRecords', 'NextToken');
    const ids = params.strings('InstanceIds');
    if (ids && ids.length > MAX_INSTANCE_RECORDS) {
      throw params.errors.invalid(
        'InstanceIds',
        `[${ids.length} ids]`,
        `Member must have length less than or equal to ${MAX_INSTANCE_RECORDS}`,
      );
    }
    const size = params.integer('MaxRecords', { min: 1, max: MAX_INSTANCE_RECORDS }) ?? MAX_INSTANCE_RECORDS;
    const instances = autoscaling
      .describeAutoScalingGroups()
      .flatMap((group) =>
        (group.Instances ?? []).map((instance) => ({
          InstanceId: instance.InstanceId,
          InstanceType: instance.InstanceType,
          AutoScalingGroupName: group.AutoScalingGroupName,
          AvailabilityZone: instance.AvailabilityZone,
          LifecycleState: instance.LifecycleState,
          // This API spells health in capitals where DescribeAutoScalingGroups says "Healthy".
          HealthStatus: instance.HealthStatus?.toUpperCase(),
          LaunchTemplate: instance.LaunchTemplate,
          ProtectedFromScaleIn: instance.ProtectedFromScaleIn,
        })),
      )
      .filter((instance) => ids === undefined || ids.includes(instance.InstanceId ?? ''));
    const page = pageOf(instances, { size, token: params.string('NextToken') }, invalidNextToken);
    return { AutoScalingInstances: page.items, NextToken: page.nextToken };
  };
}

function updateAutoScalingGroup(autoscaling: LocalAutoScaling): QueryOperation {
  return (params) => {
    params.only('AutoScalingGroupName', 'MinSize', 'MaxSize', 'DesiredCapacity');
    autoscaling.updateAutoScalingGroup({
      autoScalingGroupName: params.requiredString('AutoScalingGroupName'),
      minSize: params.integer('MinSize'),
      maxSize: params.integer('MaxSize'),
      desiredCapacity: params.integer('DesiredCapacity'),
    });
    return {};
  };
}

function describeScalingActivities(autoscaling: LocalAutoScaling): QueryOperation {
  return (params) => {
    params.only('AutoScalingGroupName', 'ActivityIds', 'MaxRecords', 'NextToken');
    const name = params.string('AutoScalingGroupName');
    const ids = params.strings('ActivityIds');
    const names =
      name === undefined
        ? autoscaling.describeAutoScalingGroups().map((g) => g.AutoScalingGroupName ?? '')
        : [name];
    const activities = names
      .filter((group) => knownGroup(autoscaling, group))
      .flatMap((group) => autoscaling.describeScalingActivities(group))
      .filter((activity) => ids === undefined || ids.includes(activity.ActivityId ?? ''))
      // Newest first across groups too (each group's log already is; the sort is stable).
      .sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
    const page = pageOf(activities, pageParams(params, 100), invalidNextToken);
    return { Activities: page.items, NextToken: page.nextToken };
  };
}

function describePolicies(autoscaling: LocalAutoScaling): QueryOperation {
  return (params) => {
    params.only('AutoScalingGroupName', 'PolicyNames', 'PolicyTypes', 'MaxRecords', 'NextToken');
    const name = params.string('AutoScalingGroupName');
    const names = params.strings('PolicyNames');
    const types = params.strings('PolicyTypes');
    const policies = (knownGroup(autoscaling, name) ? autoscaling.describePolicies(name) : []).filter(
      (policy) =>
        (names === undefined ||
          names.includes(policy.PolicyName ?? '') ||
          names.includes(policy.PolicyARN ?? '')) &&
        (types === undefined || types.includes(policy.PolicyType ?? '')),
    );
    const page = pageOf(policies, pageParams(params, 50), invalidNextToken);
    return { ScalingPolicies: page.items, NextToken: page.nextToken };
  };
}

function completeLifecycleAction(autoscaling: LocalAutoScaling): QueryOperation {
  return (params) => {
    params.only(
      'AutoScalingGroupName',
      'LifecycleHookName',
      'LifecycleActionResult',
      'LifecycleActionToken',
      'InstanceId',
    );
    autoscaling.completeLifecycleAction({
      lifecycleHookName: params.requiredString('LifecycleHookName'),
      autoScalingGroupName: params.requiredString('AutoScalingGroupName'),
      // The local service checks the value and answers AWS's ValidationError.
      lifecycleActionResult: params.requiredString('LifecycleActionResult') as LifecycleActionResult,
      lifecycleActionToken: params.string('LifecycleActionToken'),
      instanceId: params.string('InstanceId'),
    });
    return {};
  };
}

function describeLifecycleHooks(autoscaling: LocalAutoScaling): QueryOperation {
  return (params) => {
    params.only('AutoScalingGroupName', 'LifecycleHookNames');
    return {
      LifecycleHooks: autoscaling.describeLifecycleHooks({
        autoScalingGroupName: params.requiredString('AutoScalingGroupName'),
        lifecycleHookNames: params.strings('LifecycleHookNames'),
      }),
    };
  };
}

/** Auto Scaling over the local service. */
export function autoScalingService(autoscaling: LocalAutoScaling): QueryService {
  return {
    signingName: 'autoscaling',
    version: AUTOSCALING_VERSION,
    xmlns: `http://autoscaling.amazonaws.com/doc/${AUTOSCALING_VERSION}/`,
    protocol: 'query',
    operations: {
      DescribeAutoScalingGroups: describeAutoScalingGroups(autoscaling),
      DescribeAutoScalingInstances: describeAutoScalingInstances(autoscaling),
      UpdateAutoScalingGroup: updateAutoScalingGroup(autoscaling),
      DescribeScalingActivities: describeScalingActivities(autoscaling),
      DescribePolicies: describePolicies(autoscaling),
      CompleteLifecycleAction: completeLifecycleAction(autoscaling),
      DescribeLifecycleHooks: describeLifecycleHooks(autoscaling),
    },
    translate(error) {
      const known =
        error instanceof ValidationError ||
        error instanceof AlreadyExistsFault ||
        error instanceof LimitExceededFault;
      return known ? new QueryError(error.name, error.message) : undefined;
    },
  };
}
