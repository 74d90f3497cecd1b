/**
 * EC2's `Filter.N` over local resources: for DescribeInstances the names the lab's adapter and the
 * AWS CLI use most, for DescribeLaunchTemplates its name and tags; EC2's `*` and `?` wildcards. A
 * resource matches when every filter matches, and a filter when any of its values does
 * (documented EC2 semantics).
 */
import type { Instance, LaunchTemplate } from '../ec2/index.js';
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

/** The values of one filter name on a resource. */
type Field<T> = (resource: T) => string[];

const FIELDS: Readonly<Record<string, Field<Instance>>> = {
  'instance-id': (i) => [i.instanceId],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(INSTANCE_STATE_CODES[i.state])],
  'instance-type': (i) => [i.instanceType],
  'private-ip-address': (i) => [i.privateIpAddress],
  'tag-key': (i) => Object.keys(i.tags),
  'tag-value': (i) => Object.values(i.tags),
};

const TEMPLATE_FIELDS: Readonly<Record<string, Field<LaunchTemplate>>> = {
  'launch-template-name': (t) => [t.launchTemplateName],
  'tag-key': (t) => Object.keys(t.tags),
  'tag-value': (t) => Object.values(t.tags),
};

/** `tag:<key>` or one of `fields`. */
function fieldOf<T extends { tags: Record<string, string> }>(
  fields: Readonly<Record<string, Field<T>>>,
  name: string,
): Field<T> | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (resource) => (key in resource.tags ? [resource.tags[key] ?? ''] : []);
  }
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, 's');
}

/** The `Filter.N` members as one predicate; unknown filter names are refused as EC2 does. */
function resourceFilter<T extends { tags: Record<string, string> }>(
  fields: Readonly<Record<string, Field<T>>>,
  filters: readonly QueryParams[],
): (resource: T) => boolean {
  const checks = filters.map((filter) => {
    filter.only('Name', 'Value');
    const name = filter.requiredString('Name');
    const field = fieldOf(fields, name);
    if (!field) {
      throw new QueryError('InvalidParameterValue', `The filter '${name}' is invalid for the local endpoint`);
    }
    const patterns = (filter.strings('Value') ?? []).map(wildcard);
    return (resource: T) => field(resource).some((value) => patterns.some((pattern) => pattern.test(value)));
  });
  return (resource) => checks.every((check) => check(resource));
}

/** DescribeInstances' filters. */
export function instanceFilter(filters: readonly QueryParams[]): (instance: Instance) => boolean {
  return resourceFilter(FIELDS, filters);
}

/** DescribeLaunchTemplates' filters: `launch-template-name`, `tag:<key>`, `tag-key`, `tag-value`. */
export function launchTemplateFilter(filters: readonly QueryParams[]): (template: LaunchTemplate) => boolean {
  return resourceFilter(TEMPLATE_FIELDS, filters);
}
