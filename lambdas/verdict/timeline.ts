/**
 * The verdict's per-instance timeline: the moments on-scaling-event recorded of each instance of
 * the group (Cloud.getInstanceTimelines), as simulated seconds after the stress start. Seconds,
 * because the scale-out budget counts from that very moment, so "healthy at 212 s" reads straight
 * against it (scale-in counts from the stress end, `seconds` after the start); absolute times
 * would be simulated ones that match no wall clock locally. `fromTime` anchors them. The two
 * lifecycle waits come from their event's `time`, which is to the second (truncated), so one may
 * read up to a second before the launch or drain it follows; the other moments are to the ms.
 */
import { LAUNCH_HOOK, TERMINATE_HOOK } from '../../lab/lifecycle-hooks.js';
import { INSTANCE_MOMENTS, type InstanceMoment, type InstanceTimeline } from '../cloud/cloud.js';

/** One instance's life in the verdict. */
export interface InstanceTimelineRow {
  instanceId: string;
  /** Seconds after the reference (negative: before it), to a tenth, in the order of INSTANCE_MOMENTS. */
  seconds: Partial<Record<InstanceMoment, number>>;
  /** From the launch to in service: boot, user data and the launch hook's wait. */
  launchToInServiceSeconds?: number;
  /** From the launch to first seen healthy in the target group. */
  launchToHealthySeconds?: number;
  /** From the start of termination (deregistration, draining, the terminate hook) to terminated. */
  terminatingToTerminatedSeconds?: number;
  /** Set when its launch failed (an abandoned launch action, or an app that never started). */
  launchFailed?: true;
  /** Why its launch failed, as far as its moments tell. */
  launchFailure?: string;
  /** Set when its terminate action was never completed and the hook's timeout ended the wait. */
  terminateTimedOut?: string;
}

/** The lifecycle wait's moment comes from its event's time, to the second: allow that much. */
const EVENT_TIME_SLACK_SECONDS = 1;

/**
 * An instance that waited in the terminate hook, was never seen completed, and was terminated a
 * whole hook timeout later: nobody completed its action (a lost event), and the hook's default
 * result ended the wait (lab/lifecycle-hooks.ts).
 */
function terminateTimedOut(moments: InstanceTimeline['moments']): string | undefined {
  const waited = moments['terminate-wait'];
  const terminated = moments.terminated;
  if (waited === undefined || terminated === undefined || moments['terminate-completed'] !== undefined) {
    return undefined;
  }
  const { heartbeatTimeoutSeconds: timeout, defaultResult } = TERMINATE_HOOK;
  if ((terminated - waited) / 1000 < timeout - EVENT_TIME_SLACK_SECONDS) return undefined;
  return `its terminate action was never completed: after ${timeout} s the hook's default result (${defaultResult}) ended the wait`;
}

/**
 * Why a launch failed, from what was seen of it. An instance that waited in the launch hook and
 * then failed was abandoned there: its user data sends ABANDON when its app never answered, and
 * the hook's timeout applies ABANDON when nothing was sent at all (lab/lifecycle-hooks.ts).
 */
function launchFailure(moments: InstanceTimeline['moments']): string | undefined {
  if (moments['launch-failed'] === undefined) return undefined;
  if (moments['launch-wait'] !== undefined) {
    return `its launch action was abandoned (lifecycle hook ${LAUNCH_HOOK.name}): its app did not answer, or nothing completed the action within ${LAUNCH_HOOK.heartbeatTimeoutSeconds} s`;
  }
  return 'EC2 could not start it (no launch action was seen waiting)';
}

export interface VerdictTimelines {
  /** What the seconds count from: the stress start, or the first moment recorded when no stress started. */
  from: 'stress start' | 'first moment';
  /** That moment, ISO (simulated locally). */
  fromTime: string | null;
  /** Instances in the order they launched (or, lacking a launch, first appeared). */
  instances: InstanceTimelineRow[];
  /** Why the timeline may be incomplete: its moments come from best-effort Auto Scaling events. */
  note?: string;
}

const TENTH = 100;

function secondsBetween(from: number, to: number): number {
  return Math.round((to - from) / TENTH) / 10;
}

function firstMoment(timeline: InstanceTimeline): number {
  return Math.min(...Object.values(timeline.moments));
}

function lastMoment(timeline: InstanceTimeline): number {
  return Math.max(...Object.values(timeline.moments));
}

function span(
  moments: InstanceTimeline['moments'],
  from: InstanceMoment,
  to: InstanceMoment,
): number | undefined {
  const start = moments[from];
  const end = moments[to];
  return start === undefined || end === undefined ? undefined : secondsBetween(start, end);
}

function rowOf(timeline: InstanceTimeline, reference: number): InstanceTimelineRow {
  const { moments } = timeline;
  const seconds: InstanceTimelineRow['seconds'] = {};
  for (const moment of INSTANCE_MOMENTS) {
    const at = moments[moment];
    if (at !== undefined) seconds[moment] = secondsBetween(reference, at);
  }
  const launchStart = moments.launched !== undefined ? 'launched' : 'launch-wait';
  const inService = span(moments, launchStart, 'in-service');
  const healthy = span(moments, launchStart, 'healthy');
  const terminating = span(
    moments,
    moments.terminating !== undefined ? 'terminating' : 'terminate-wait',
    'terminated',
  );
  return {
    instanceId: timeline.instanceId,
    seconds,
    ...(inService !== undefined && { launchToInServiceSeconds: inService }),
    ...(healthy !== undefined && { launchToHealthySeconds: healthy }),
    ...(terminating !== undefined && { terminatingToTerminatedSeconds: terminating }),
    ...(moments['launch-failed'] !== undefined && {
      launchFailed: true as const,
      launchFailure: launchFailure(moments),
    }),
    ...(terminateTimedOut(moments) !== undefined && { terminateTimedOut: terminateTimedOut(moments) }),
  };
}

/** "N launch(es) failed: why" for the verdict's reason, or undefined when none failed. */
export function failedLaunches(timelines: VerdictTimelines): string | undefined {
  const failed = timelines.instances.filter((row) => row.launchFailed);
  if (failed.length === 0) return undefined;
  const reasons = [...new Set(failed.map((row) => row.launchFailure))].join('; ');
  return `${failed.length} launch${failed.length === 1 ? '' : 'es'} failed (${failed.map((r) => r.instanceId).join(', ')}): ${reasons}`;
}

/**
 * The timelines of `recorded` against `stressStartedAt` (epoch ms), or against the first moment
 * recorded when the lab never started its stress. Instances without a moment are left out.
 */
export function verdictTimelines(
  recorded: readonly InstanceTimeline[],
  stressStartedAt: number | undefined,
  provisionStartedAt?: number,
): VerdictTimelines {
  // The moments outlive an execution (a serve runs many; on AWS the items last a day): an
  // instance whose life ended before this execution provisioned belongs to an earlier one.
  const timelines = recorded.filter(
    (t) =>
      Object.keys(t.moments).length > 0 &&
      (provisionStartedAt === undefined || lastMoment(t) >= provisionStartedAt),
  );
  const earliest = timelines.length > 0 ? Math.min(...timelines.map(firstMoment)) : undefined;
  const reference = stressStartedAt ?? earliest;
  const from = stressStartedAt === undefined ? 'first moment' : 'stress start';
  if (reference === undefined || timelines.length === 0) {
    return {
      from,
      fromTime: reference === undefined ? null : new Date(reference).toISOString(),
      instances: [],
      note: 'no instance moments were recorded: they come from Auto Scaling events, which are delivered best effort',
    };
  }
  const instances = [...timelines]
    .sort((a, b) => (a.moments.launched ?? firstMoment(a)) - (b.moments.launched ?? firstMoment(b)))
    .map((timeline) => rowOf(timeline, reference));
  const incomplete = instances.some(
    (row) =>
      !row.launchFailed && (row.seconds['in-service'] === undefined || row.seconds.terminated === undefined),
  );
  return {
    from,
    fromTime: new Date(reference).toISOString(),
    instances,
    ...(incomplete && {
      note: 'a missing moment is an Auto Scaling event that was lost or late (they are delivered best effort), or a life not over when the verdict ran',
    }),
  };
}

/** The moments as a person reads them, in order: the launch, then the termination. */
export const TIMELINE_LABELS: Readonly<Record<InstanceMoment, string>> = {
  launched: 'launch',
  'launch-wait': 'launch action waiting',
  'in-service': 'in service',
  healthy: 'healthy',
  'launch-failed': 'launch FAILED',
  terminating: 'draining',
  'terminate-wait': 'terminate action waiting',
  drained: 'drained',
  'terminate-completed': 'terminate action completed',
  terminated: 'terminated',
};

const TERMINATION: ReadonlySet<InstanceMoment> = new Set([
  'terminating',
  'terminate-wait',
  'drained',
  'terminate-completed',
  'terminated',
]);

/** "label N s" for each moment of one part of the row, in order. */
function partOf(row: InstanceTimelineRow, termination: boolean): string {
  return INSTANCE_MOMENTS.filter((m) => TERMINATION.has(m) === termination && row.seconds[m] !== undefined)
    .map((m) => `${TIMELINE_LABELS[m]} ${row.seconds[m]} s`)
    .join(' → ');
}

/** One instance's life on one line: its launch, its termination, and the two durations. */
export function timelineLine(row: InstanceTimelineRow): string {
  const parts = [partOf(row, false), partOf(row, true)].filter(Boolean);
  const spans = [
    row.launchToInServiceSeconds !== undefined && `launch → in service ${row.launchToInServiceSeconds} s`,
    row.terminatingToTerminatedSeconds !== undefined &&
      `draining → terminated ${row.terminatingToTerminatedSeconds} s`,
  ].filter(Boolean);
  const notes = [row.launchFailure, row.terminateTimedOut].filter(Boolean);
  const failure = notes.length > 0 ? ` — ${notes.join('; ')}` : '';
  return `${row.instanceId}: ${parts.join('; ') || 'no moments'}${spans.length > 0 ? ` (${spans.join(', ')})` : ''}${failure}`;
}
