/**
 * Tear down: stop the section-1 instances, scale the group to zero, disarm this execution's
 * observers, wait (bounded) until nothing is left running, then release the lab. Runs on every
 * path of the workflow, including after a failed validation, so it never needs a valid
 * configuration: the adapter knows the lab's resources, and the deployed configuration sizes the
 * group and bounds the wait. It first claims the lab (already this execution's on every path
 * but a redrive): a lab another running execution holds is never torn down (LabBusy).
 */

import { type LabConfig, labConfigIfValid } from '../../lab/config.js';
import { TearDownIncomplete } from '../../lab/workflow-errors.js';
import { runningInstances } from '../lab-guard/at-rest.js';
import { claimTheLab } from '../lab-guard/claim.js';
import { readRecord, readString } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';

/** Simulated seconds between two looks while waiting for everything to stop. */
export const TEAR_DOWN_POLL_SECONDS = 5;

export interface TearDownInput {
  executionId: string;
  executionName: string;
  /** The execution's configuration; undefined when validate refused it. */
  config: LabConfig | undefined;
}

export interface TearDownOutput {
  clean: true;
  /** Simulated seconds from the first stop call until nothing was left. */
  seconds: number;
  leftBehind: string[];
  /** What was up when tear-down began and is stopped or terminated now. */
  stopped: string[];
}

export function parseTearDownInput(event: unknown): TearDownInput {
  const record = readRecord(event, 'event');
  const state = readRecord(record.state, 'state');
  return {
    executionId: readString(record, 'executionId'),
    executionName: readString(record, 'executionName'),
    config: labConfigIfValid(state.lab),
  };
}

export async function run(
  input: TearDownInput,
  { cloud, deployedConfig }: Pick<StepDeps, 'cloud' | 'deployedConfig'>,
): Promise<TearDownOutput> {
  // A refused input changed nothing: the lab is still as deployed (the group keeps its maxSize).
  const config = input.config ?? deployedConfig;
  const { executionId, executionName } = input;
  await claimTheLab(
    cloud,
    { executionId, executionName, since: cloud.now() },
    config.timeouts.tearDownSeconds,
  );
  const startedAt = cloud.now();
  const up = await runningInstances(cloud);
  await cloud.stopSection1Instances();
  await cloud.updateGroupSize({ minSize: 0, maxSize: config.section2.maxSize, desiredCapacity: 0 });
  const observers = await cloud.getArmedObservers();
  for (const observer of observers.filter((o) => o.executionId === input.executionId)) {
    await cloud.disarm(observer);
  }
  const deadline = startedAt + config.timeouts.tearDownSeconds * 1000;
  let remaining = await runningInstances(cloud);
  while (remaining.length > 0 && cloud.now() < deadline) {
    await cloud.sleep(TEAR_DOWN_POLL_SECONDS);
    remaining = await runningInstances(cloud);
  }
  if (remaining.length > 0) {
    throw new TearDownIncomplete(
      `after ${config.timeouts.tearDownSeconds} s still running: ${remaining.join(', ')}`,
    );
  }
  await cloud.releaseLab(executionId);
  return { clean: true, seconds: (cloud.now() - startedAt) / 1000, leftBehind: [], stopped: up };
}

/** The tear-down step as the shared handler wraps it. */
export const tearDownStep = defineStep({ step: 'tear-down', parse: parseTearDownInput, run });
