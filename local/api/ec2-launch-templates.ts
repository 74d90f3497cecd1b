/**
 * EC2's launch template reads (EC2 query protocol) over the local EC2's templates, which hold an
 * app and an instance type in one version (ec2/launch-templates.ts).
 */
import { arn } from '../arn.js';
import type { LaunchTemplate, LocalEc2 } from '../ec2/index.js';
import { launchTemplateFilter } from './ec2-filters.js';
import { dryRun, invalidPaginationToken } from './ec2-params.js';
import { QueryError } from './query/errors.js';
import type { QueryOperation } from './query/handler.js';
import { pageOf } from './query/pages.js';
import type { QueryParams } from './query/params.js';

const TEMPLATE_ID = /^lt-[0-9a-f]{17}$/;
/** Who created every local template: the account's root, as the console shows it. */
const CREATED_BY = arn('iam', 'root', { regional: false });
/** The names a one-version template's version answers to. */
const ONE_VERSION: ReadonlySet<string> = new Set(['1', '$Latest', '$Default']);

function templateById(ec2: LocalEc2, id: string): LaunchTemplate {
  if (!TEMPLATE_ID.test(id)) {
    throw new QueryError(
      'InvalidLaunchTemplateId.Malformed',
      `The specified ID for the launch template (${id}) is not valid: expected lt- and 17 hexadecimal digits`,
    );
  }
  return ec2.launchTemplate({ launchTemplateId: id });
}

function notBoth(first: string, second: string): QueryError {
  return new QueryError(
    'InvalidParameterCombination',
    `The parameters ${first} and ${second} cannot be used together`,
  );
}

/** MaxResults (1–200) and NextToken, as both launch template reads take them. */
function pageParams(params: QueryParams) {
  return { size: params.integer('MaxResults', { min: 1, max: 200 }), token: params.string('NextToken') };
}

function templateOf(template: LaunchTemplate) {
  return {
    launchTemplateId: template.launchTemplateId,
    launchTemplateName: template.launchTemplateName,
    createTime: new Date(template.createTime),
    createdBy: CREATED_BY,
    defaultVersionNumber: template.versionNumber,
    latestVersionNumber: template.versionNumber,
    tagSet: Object.entries(template.tags).map(([key, value]) => ({ key, value })),
  };
}

/** The one version; its data is what the local instance is launched with. */
function versionOf(template: LaunchTemplate) {
  return {
    launchTemplateId: template.launchTemplateId,
    launchTemplateName: template.launchTemplateName,
    versionNumber: template.versionNumber,
    createTime: new Date(template.createTime),
    createdBy: CREATED_BY,
    defaultVersion: true,
    launchTemplateData: { instanceType: template.instanceType },
  };
}

/** By `LaunchTemplateId.N` or `LaunchTemplateName.N` (each must exist), or all; `Filter.N`; pages. */
export function describeLaunchTemplates(ec2: LocalEc2): QueryOperation {
  return (params) => {
    params.only('LaunchTemplateId', 'LaunchTemplateName', 'Filter', 'MaxResults', 'NextToken', 'DryRun');
    const ids = params.strings('LaunchTemplateId');
    const names = params.strings('LaunchTemplateName');
    if (ids && names) throw notBoth('LaunchTemplateIds', 'LaunchTemplateNames');
    const matches = launchTemplateFilter(params.structures('Filter') ?? []);
    const paging = pageParams(params);
    const templates = ids
      ? ids.map((id) => templateById(ec2, id))
      : names
        ? names.map((name) => ec2.launchTemplate({ launchTemplateName: name }))
        : ec2.describeLaunchTemplates();
    dryRun(params);
    const page = pageOf(templates.filter(matches), paging, invalidPaginationToken);
    return { launchTemplates: page.items.map(templateOf), nextToken: page.nextToken };
  };
}

/**
 * The versions of one template (by id or name), or the default and latest versions of all of
 * them; `LaunchTemplateVersion.N` picks among `1`, `$Latest` and `$Default`, which locally are
 * the same one version.
 */
export function describeLaunchTemplateVersions(ec2: LocalEc2): QueryOperation {
  return (params) => {
    params.only(
      'LaunchTemplateId',
      'LaunchTemplateName',
      'LaunchTemplateVersion',
      'MaxResults',
      'NextToken',
      'DryRun',
    );
    const id = params.string('LaunchTemplateId');
    const name = params.string('LaunchTemplateName');
    if (id !== undefined && name !== undefined) throw notBoth('LaunchTemplateId', 'LaunchTemplateName');
    const versions = params.strings('LaunchTemplateVersion') ?? [];
    const paging = pageParams(params);
    const one = id !== undefined || name !== undefined;
    const templates = one
      ? [id !== undefined ? templateById(ec2, id) : ec2.launchTemplate({ launchTemplateName: name })]
      : ec2.describeLaunchTemplates();
    for (const version of versions) checkVersion(version, one ? templates[0] : undefined);
    dryRun(params);
    const page = pageOf(templates, paging, invalidPaginationToken);
    return { launchTemplateVersionSet: page.items.map(versionOf), nextToken: page.nextToken };
  };
}

/** A version the template has, or EC2's error: numbers only name a given template's versions. */
function checkVersion(version: string, template: LaunchTemplate | undefined): void {
  if (ONE_VERSION.has(version) && (template || version !== '1')) return;
  if (!/^\d+$/.test(version) || !template) {
    throw new QueryError(
      'InvalidParameterValue',
      template
        ? `Value (${version}) for parameter LaunchTemplateVersion is invalid: a version number, $Latest or $Default`
        : `Value (${version}) for parameter LaunchTemplateVersion is invalid: without a launch template, only $Latest and $Default`,
    );
  }
  throw new QueryError(
    'InvalidLaunchTemplateId.VersionNotFound',
    `Could not find launch template version ${version} for launch template ${template.launchTemplateId}: it has version 1 only`,
  );
}
