/**
 * Verify load balancing (section 1): a batch of GETs through load balancer "web" must reach every
 * instance in a round-robin spread, and `POST {"num": N}` then `GET` must return N.
 *
 * How the seed behaves behind round robin: each instance holds its own seed (as the original
 * Flask app did), so one POST through the load balancer sets only the instance that answered
 * it, and the next GET may well come from the other instance with its old seed. The check is
 * honest about that: it POSTs through the load balancer until every instance has answered a POST
 * (bounded), records what each instance returned before, and only then requires every GET, from
 * every instance, to return N.
 */

import { LoadBalancingNotVerified } from '../../lab/workflow-errors.js';
import { readStepInput, type StepInput } from '../middy/input.js';
import { defineStep, type StepDeps } from '../step.js';
import { type LbResponse, send, tally } from './http.js';

export interface SeedCheck {
  value: number;
  /** What each instance's GET returned before the POSTs (its own seed). */
  seedsBefore: Record<string, string[]>;
  postsPerInstance: Record<string, number>;
  getsAfterPerInstance: Record<string, number>;
  held: boolean;
  note: string;
}

export interface VerifyLoadBalancingOutput {
  requests: number;
  requestsPerInstance: Record<string, number>;
  /** Largest deviation of an instance's share from an even share, as a fraction of it. */
  maxDeviation: number;
  spreadHeld: boolean;
  seedCheck: SeedCheck;
}

export const SEED_NOTE =
  'each instance holds its own seed: a POST through the load balancer sets only the instance that answers it, so the check POSTs until every instance has answered one, then requires every GET to return N';
/** POST attempts per instance before the seed check gives up on reaching them all. */
export const POSTS_PER_INSTANCE_LIMIT = 4;

export function parseVerifyInput(event: unknown): StepInput {
  const { event: _event, ...input } = readStepInput(event);
  return input;
}

async function getBatch(deps: Pick<StepDeps, 'fetch'>, url: string, count: number, timeoutMs: number) {
  const responses: LbResponse[] = [];
  // Sequential on purpose: round robin is about consecutive requests.
  for (let i = 0; i < count; i += 1) responses.push(await send(deps.fetch, url, timeoutMs));
  const failed = responses.filter((r) => r.status !== 200 || r.instanceId === '');
  if (failed.length > 0) {
    throw new LoadBalancingNotVerified(
      `${failed.length} of ${count} GETs through load balancer "web" failed (first: ${failed[0]?.status} ${failed[0]?.body.slice(0, 120)})`,
    );
  }
  return responses;
}

function spreadOf(responses: LbResponse[], instanceCount: number) {
  const perInstance: Record<string, number> = {};
  for (const r of responses) tally(perInstance, r.instanceId);
  const even = responses.length / instanceCount;
  const counts = Object.values(perInstance);
  const maxDeviation = Math.max(
    ...counts.map((c) => Math.abs(c - even) / even),
    counts.length < instanceCount ? 1 : 0,
  );
  return { perInstance, maxDeviation };
}

async function postUntilEveryInstanceSet(
  deps: Pick<StepDeps, 'fetch'>,
  url: string,
  instances: string[],
  value: number,
  timeoutMs: number,
): Promise<Record<string, number>> {
  const posts: Record<string, number> = {};
  const limit = instances.length * POSTS_PER_INSTANCE_LIMIT;
  for (let i = 0; i < limit && !instances.every((id) => posts[id]); i += 1) {
    const response = await send(deps.fetch, url, timeoutMs, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ num: value }),
    });
    if (response.status !== 200) {
      throw new LoadBalancingNotVerified(
        `POST {"num": ${value}} answered ${response.status}: ${response.body.slice(0, 120)}`,
      );
    }
    tally(posts, response.instanceId);
  }
  const missed = instances.filter((id) => !posts[id]);
  if (missed.length > 0) {
    throw new LoadBalancingNotVerified(
      `${limit} POSTs through load balancer "web" never reached ${missed.join(', ')}: not round robin`,
    );
  }
  return posts;
}

export async function run(input: StepInput, deps: StepDeps): Promise<VerifyLoadBalancingOutput> {
  const { section1, timeouts } = input.config;
  const url = `${await deps.cloud.loadBalancerUrl('web')}/`;
  const before = await getBatch(deps, url, section1.requestCount, timeouts.httpRequestMs);
  const { perInstance, maxDeviation } = spreadOf(before, section1.instanceCount);
  const instances = Object.keys(perInstance).sort();
  const spreadHeld = instances.length === section1.instanceCount && maxDeviation <= section1.spreadTolerance;
  if (!spreadHeld) {
    throw new LoadBalancingNotVerified(
      `GETs through load balancer "web" reached ${JSON.stringify(perInstance)}: expected ${section1.instanceCount} instances within ±${section1.spreadTolerance * 100} % of an even share`,
    );
  }
  const seedsBefore: Record<string, string[]> = {};
  for (const r of before) seedsBefore[r.instanceId] = [...(seedsBefore[r.instanceId] ?? []), r.body];
  const posts = await postUntilEveryInstanceSet(
    deps,
    url,
    instances,
    section1.seedValue,
    timeouts.httpRequestMs,
  );
  const after = await getBatch(deps, url, section1.requestCount, timeouts.httpRequestMs);
  const getsAfter: Record<string, number> = {};
  for (const r of after) tally(getsAfter, r.instanceId);
  const wrong = after.filter((r) => r.body.trim() !== String(section1.seedValue));
  if (wrong.length > 0) {
    throw new LoadBalancingNotVerified(
      `after POST {"num": ${section1.seedValue}} to every instance, ${wrong.length} GETs returned something else (first: ${JSON.stringify(wrong[0]?.body)} from ${wrong[0]?.instanceId})`,
    );
  }
  return {
    requests: before.length,
    requestsPerInstance: perInstance,
    maxDeviation,
    spreadHeld,
    seedCheck: {
      value: section1.seedValue,
      seedsBefore,
      postsPerInstance: posts,
      getsAfterPerInstance: getsAfter,
      held: true,
      note: SEED_NOTE,
    },
  };
}

/** The verify-load-balancing step as the shared handler wraps it. */
export const verifyLoadBalancingStep = defineStep({
  step: 'verify-load-balancing',
  parse: parseVerifyInput,
  run,
  holdsLab: true,
});
