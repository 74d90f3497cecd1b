/**
 * DescribeInstances' filters over local instances: the names the lab's adapter and the AWS CLI
 * use most, with EC2's `*` and `?` wildcards. An instance matches when every filter matches, and a
 * filter when any of its values does (documented EC2 semantics).
 */
import type { Instance } from '../ec2/index.js';
import { QueryError } from './query/errors.js';
import type { QueryParams } from './query/params.js';

/** EC2's numeric state codes (InstanceState.Code). */
export const INSTANCE_STATE_CODES: Readonly<Record<Instance['state'], number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

type Field = (instance: Instance) => string[];

const FIELDS: Readonly<Record<string, Field>> = {
  'instance-id': (i) => [i.instanceId],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(INSTANCE_STATE_CODES[i.state])],
  'instance-type': (i) => [i.instanceType],
  'private-ip-address': (i) => [i.privateIpAddress],
  'tag-key': (i) => Object.keys(i.tags),
  'tag-value': (i) => Object.values(i.tags),
};

function fieldOf(name: string): Field | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (instance) => (key in instance.tags ? [instance.tags[key] ?? ''] : []);
  }
  return Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, 's');
}

/** The `Filter.N` members as one predicate; unknown filter names are refused as EC2 does. */
export function instanceFilter(filters: readonly QueryParams[]): (instance: Instance) => boolean {
  const checks = filters.map((filter) => {
    filter.only('Name', 'Value');
    const name = filter.requiredString('Name');
    const field = fieldOf(name);
    if (!field) {
      throw new QueryError('InvalidParameterValue', `The filter '${name}' is invalid for the local endpoint`);
    }
    const patterns = (filter.strings('Value') ?? []).map(wildcard);
    return (instance: Instance) =>
      field(instance).some((value) => patterns.some((pattern) => pattern.test(value)));
  });
  return (instance) => checks.every((check) => check(instance));
}
