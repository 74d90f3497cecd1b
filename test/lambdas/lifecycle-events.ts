/**
 * AWS's documented lifecycle-action events (test/fixtures/events), copied per use and pointed at
 * the lab's group, hooks and instances where a test asks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';
import { LAUNCH_HOOK, TERMINATE_HOOK } from '../../lab/lifecycle-hooks.js';
import { projectRoot } from '../../node-app/project-root.js';

export interface LifecycleEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, string>;
}

function fixture(name: string): LifecycleEvent {
  const path = join(projectRoot(), 'test', 'fixtures', 'events', `${name}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as LifecycleEvent;
}

const FIXTURES = {
  launch: fixture('launch-lifecycle-action'),
  terminate: fixture('terminate-lifecycle-action'),
};

/** AWS's example event, unchanged (group `my-asg`, hook `my-lifecycle-hook`). */
export function awsExampleEvent(kind: 'launch' | 'terminate'): LifecycleEvent {
  return structuredClone(FIXTURES[kind]);
}

/** AWS's example event for the lab's group and hook, with `overrides` over its detail. */
export function lifecycleEvent(
  kind: 'launch' | 'terminate',
  detail: Record<string, string> = {},
  time?: string,
): LifecycleEvent {
  const event = awsExampleEvent(kind);
  event.detail.AutoScalingGroupName = DEFAULT_LAB_CONFIG.section2.autoScalingGroupName;
  event.detail.LifecycleHookName = kind === 'launch' ? LAUNCH_HOOK.name : TERMINATE_HOOK.name;
  Object.assign(event.detail, detail);
  if (time !== undefined) event.time = time;
  return event;
}
