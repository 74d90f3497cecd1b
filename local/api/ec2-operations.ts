/**
 * The EC2 operations the endpoint serves (EC2 query protocol) over the local EC2: instances are
 * real processes; each is its own reservation, as the local cloud launches them one at a time.
 */
import { LOCAL_ACCOUNT_ID, LOCAL_AVAILABILITY_ZONE } from '../arn.js';
import {
  IncorrectInstanceState,
  type Instance,
  InvalidInstanceIdNotFound,
  InvalidLaunchTemplateIdNotFound,
  InvalidLaunchTemplateNameNotFound,
  InvalidParameterValue,
  type LocalEc2,
} from '../ec2/index.js';
import { INSTANCE_STATE_CODES, instanceFilter } from './ec2-filters.js';
import { describeLaunchTemplates, describeLaunchTemplateVersions } from './ec2-launch-templates.js';
import { dryRun, invalidPaginationToken } from './ec2-params.js';
import { QueryError } from './query/errors.js';
import type { QueryOperation, QueryService } from './query/handler.js';
import { pageOf } from './query/pages.js';

const EC2_VERSION = '2016-11-15';
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** States StopInstances accepts, as the local EC2 does (ec2.ts). */
const STOPPABLE: ReadonlySet<string> = new Set(['pending', 'running', 'stopped']);

function stateOf(state: Instance['state']) {
  return { code: INSTANCE_STATE_CODES[state], name: state };
}

/** `Server.InternalError: why` → EC2's StateReason. */
function stateReasonOf(reason: string | undefined) {
  if (reason === undefined) return undefined;
  const colon = reason.indexOf(': ');
  return colon < 0 ? { code: reason, message: reason } : { code: reason.slice(0, colon), message: reason };
}

function reservationOf(instance: Instance) {
  return {
    reservationId: `r-${instance.instanceId.slice('i-'.length)}`,
    ownerId: LOCAL_ACCOUNT_ID,
    groupSet: [],
    instancesSet: [
      {
        instanceId: instance.instanceId,
        instanceState: stateOf(instance.state),
        privateIpAddress: instance.privateIpAddress,
        instanceType: instance.instanceType,
        launchTime: new Date(instance.launchTime),
        placement: { availabilityZone: LOCAL_AVAILABILITY_ZONE, tenancy: 'default' },
        monitoring: { state: 'disabled' },
        stateReason: stateReasonOf(instance.stateReason),
        tagSet: Object.entries(instance.tags).map(([key, value]) => ({ key, value })),
      },
    ],
  };
}

/** The instances `ids` names, refusing malformed and unknown ids with EC2's codes and wording. */
function instancesNamed(ec2: LocalEc2, ids: readonly string[]): Instance[] {
  const malformed = ids.find((id) => !INSTANCE_ID.test(id));
  if (malformed !== undefined)
    throw new QueryError('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
  const known = new Map(ec2.describeInstances().map((instance) => [instance.instanceId, instance]));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length === 1) {
    throw new QueryError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  }
  if (missing.length > 1) {
    throw new QueryError(
      'InvalidInstanceID.NotFound',
      `The instance IDs '${missing.join(', ')}' do not exist`,
    );
  }
  return ids.map((id) => known.get(id) as Instance);
}

function describeInstances(ec2: LocalEc2): QueryOperation {
  return (params) => {
    params.only('InstanceId', 'Filter', 'MaxResults', 'NextToken', 'DryRun');
    dryRun(params);
    const ids = params.strings('InstanceId');
    const maxResults = params.string('MaxResults');
    if (ids && maxResults !== undefined) {
      throw new QueryError(
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    }
    const size = params.integer('MaxResults');
    if (size !== undefined && (size < 5 || size > 1000)) {
      throw params.errors.invalid('maxResults', String(size), 'Expecting a value from 5 to 1000.');
    }
    const matches = instanceFilter(params.structures('Filter') ?? []);
    const instances = (ids ? instancesNamed(ec2, ids) : ec2.describeInstances()).filter(matches);
    const page = pageOf(instances, { token: params.string('NextToken'), size }, invalidPaginationToken);
    return { reservationSet: page.items.map(reservationOf), nextToken: page.nextToken };
  };
}

function stateChanges(before: readonly Instance[], after: readonly Instance[]) {
  return before.map((instance, i) => ({
    instanceId: instance.instanceId,
    currentState: stateOf(after[i]?.state ?? instance.state),
    previousState: stateOf(instance.state),
  }));
}

function startInstances(ec2: LocalEc2): QueryOperation {
  return async (params) => {
    params.only('InstanceId', 'DryRun', 'AdditionalInfo');
    const ids = params.strings('InstanceId') ?? [];
    if (ids.length === 0) throw params.errors.missing('InstanceId');
    const before = instancesNamed(ec2, ids);
    dryRun(params);
    await ec2.startInstances(ids);
    return { instancesSet: stateChanges(before, ec2.describeInstances(ids)) };
  };
}

/**
 * Answers once the instances are `stopping`, as EC2 does; their processes end afterwards. The
 * states are checked here because the local stop resolves only once the processes are gone.
 */
function stopInstances(ec2: LocalEc2, onError: (error: unknown) => void): QueryOperation {
  return (params) => {
    params.only('InstanceId', 'DryRun', 'Force', 'Hibernate');
    const ids = params.strings('InstanceId') ?? [];
    if (ids.length === 0) throw params.errors.missing('InstanceId');
    if (params.boolean('Hibernate'))
      throw new QueryError('UnsupportedOperation', 'The local EC2 does not hibernate');
    params.boolean('Force');
    const before = instancesNamed(ec2, ids);
    const stuck = before.find((instance) => !STOPPABLE.has(instance.state));
    if (stuck) {
      throw new QueryError(
        'IncorrectInstanceState',
        `This instance '${stuck.instanceId}' is not in a state from which it can be stopped.`,
      );
    }
    dryRun(params);
    ec2.stopInstances(ids).catch(onError);
    return { instancesSet: stateChanges(before, ec2.describeInstances(ids)) };
  };
}

/** EC2 over the local EC2. */
export function ec2Service(ec2: LocalEc2, onError: (error: unknown) => void): QueryService {
  return {
    signingName: 'ec2',
    version: EC2_VERSION,
    xmlns: `http://ec2.amazonaws.com/doc/${EC2_VERSION}/`,
    protocol: 'ec2',
    operations: {
      DescribeInstances: describeInstances(ec2),
      StartInstances: startInstances(ec2),
      StopInstances: stopInstances(ec2, onError),
      DescribeLaunchTemplates: describeLaunchTemplates(ec2),
      DescribeLaunchTemplateVersions: describeLaunchTemplateVersions(ec2),
    },
    translate(error) {
      const known =
        error instanceof InvalidInstanceIdNotFound ||
        error instanceof IncorrectInstanceState ||
        error instanceof InvalidLaunchTemplateIdNotFound ||
        error instanceof InvalidLaunchTemplateNameNotFound ||
        error instanceof InvalidParameterValue;
      return known ? new QueryError(error.name, error.message) : undefined;
    },
  };
}
