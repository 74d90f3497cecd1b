/**
 * EC2 launch templates, reduced to what a local instance is launched from: the app its user data
 * would start and its instance type. Each template has one version (1, its default), as the lab's
 * stack creates it; there is no CreateLaunchTemplateVersion locally.
 */
import { randomBytes } from 'node:crypto';
import { INSTANCE_TYPE_NAMES, instanceTypeFacts } from '../../lab/aws-facts.js';
import type { AppName } from '../../node-app/instance-server.js';
import type { Clock } from '../clock.js';
import {
  InvalidLaunchTemplateIdNotFound,
  InvalidLaunchTemplateNameAlreadyExists,
  InvalidLaunchTemplateNameNotFound,
  InvalidParameterValue,
} from './errors.js';

/** What CreateLaunchTemplate takes, its LaunchTemplateData reduced to the local instance's. */
export interface CreateLaunchTemplateInput {
  launchTemplateName: string;
  /** The user data's app, locally. */
  app: AppName;
  /** One of INSTANCE_TYPES (lab/aws-facts.ts). */
  instanceType: string;
  tags?: Record<string, string>;
}

/** A launch template as DescribeLaunchTemplates and DescribeLaunchTemplateVersions see it. */
export interface LaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  /** Simulated creation time, ISO-8601. */
  createTime: string;
  /** The one version: both the default and the latest. */
  versionNumber: 1;
  app: AppName;
  instanceType: string;
  tags: Record<string, string>;
}

/** Which template: by id or by name (as the APIs' LaunchTemplateSpecification). */
export interface LaunchTemplateRef {
  launchTemplateId?: string;
  launchTemplateName?: string;
}

/** EC2's LaunchTemplateName constraint: 3–128 of letters, digits and `( ) . - / _`. */
const NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;

export class LaunchTemplates {
  private readonly templates = new Map<string, LaunchTemplate>();

  constructor(private readonly clock: Clock) {}

  create(input: CreateLaunchTemplateInput): LaunchTemplate {
    const { launchTemplateName: name, app, instanceType, tags = {} } = input;
    if (!NAME.test(name)) {
      throw new InvalidParameterValue(
        `Invalid value '${name}' for LaunchTemplateName: 3 to 128 letters, digits, '(', ')', '.', '-', '/' or '_'`,
      );
    }
    if (!instanceTypeFacts(instanceType)) {
      throw new InvalidParameterValue(
        `Invalid value '${instanceType}' for InstanceType. The local EC2 runs ${INSTANCE_TYPE_NAMES.join(', ')}`,
      );
    }
    if (this.describe().some((template) => template.launchTemplateName === name)) {
      throw new InvalidLaunchTemplateNameAlreadyExists('Launch template name already in use.');
    }
    const template: LaunchTemplate = {
      launchTemplateId: `lt-${randomBytes(9).toString('hex').slice(0, 17)}`,
      launchTemplateName: name,
      createTime: this.clock.isoNow(),
      versionNumber: 1,
      app,
      instanceType,
      tags: { ...tags },
    };
    this.templates.set(template.launchTemplateId, template);
    return copy(template);
  }

  /** Every template, in creation order. */
  describe(): LaunchTemplate[] {
    return [...this.templates.values()].map(copy);
  }

  /** The template `ref` names, by id when it has one, else by name; EC2's errors for an unknown one. */
  find(ref: LaunchTemplateRef): LaunchTemplate {
    const { launchTemplateId: id, launchTemplateName: name } = ref;
    if (id !== undefined) {
      const template = this.templates.get(id);
      if (!template) {
        throw new InvalidLaunchTemplateIdNotFound(
          `The specified launch template, with template ID ${id}, does not exist.`,
        );
      }
      return copy(template);
    }
    const template = this.describe().find((candidate) => candidate.launchTemplateName === name);
    if (!template) {
      throw new InvalidLaunchTemplateNameNotFound(
        'At least one of the launch templates specified in the request does not exist.',
      );
    }
    return template;
  }
}

function copy(template: LaunchTemplate): LaunchTemplate {
  return { ...template, tags: { ...template.tags } };
}
