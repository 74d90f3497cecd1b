/**
 * What happened during a run, as lasting lines for a person: the alarms' changes to and from
 * ALARM, each instance launched or terminated with the capacity change, and each observe step's
 * outcome. The bus carries much more (state changes, health polls); only what moves the lab's
 * story is kept.
 */

import { humanDuration } from '../../lab/durations.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import type { ObservationSummary } from '../../local-lab/run/observations.js';

/** good: the lab did what it should; bad: it did not; neutral: worth knowing. */
export type Tone = 'good' | 'bad' | 'neutral';

export interface Moment {
  /** Simulated epoch ms when it happened. */
  at: number;
  text: string;
  tone: Tone;
}

type Detail = Record<string, unknown>;

/** "AlarmHigh" from AWS's "TargetTracking-<group>-AlarmHigh-<uuid>". */
function shortAlarmName(name: unknown): string {
  return /Alarm(High|Low)/.exec(String(name))?.[0] ?? String(name);
}

function alarmMoment(detail: Detail, at: number): Moment | undefined {
  const state = (detail.state ?? {}) as Detail;
  const previous = (detail.previousState ?? {}) as Detail;
  if (state.value !== 'ALARM' && previous.value !== 'ALARM') return undefined;
  const alarm = shortAlarmName(detail.alarmName);
  return {
    at,
    text: `alarm ${alarm}: ${String(previous.value)} → ${String(state.value)}`,
    tone: state.value === 'ALARM' ? 'neutral' : 'good',
  };
}

/** "from 1 to 2" out of an Auto Scaling Cause ("… changing the desired capacity from 1 to 2."). */
function capacityChange(cause: unknown): string {
  const found = /from (\d+) to (\d+)/.exec(String(cause));
  return found ? ` (desired ${found[1]} → ${found[2]})` : '';
}

const SCALING_WORDS: Record<string, string> = {
  'EC2 Instance Launch Successful': 'launched',
  'EC2 Instance Launch Unsuccessful': 'failed to launch',
  'EC2 Instance Terminate Successful': 'terminated',
};

function scalingMoment(event: EventBridgeEvent, detail: Detail, at: number): Moment | undefined {
  const words = SCALING_WORDS[event['detail-type']];
  if (!words) return undefined;
  return {
    at,
    text: `instance ${String(detail.EC2InstanceId)} ${words}${capacityChange(detail.Cause)}`,
    tone: words === 'failed to launch' ? 'bad' : 'neutral',
  };
}

/** The lasting line for a bus event, or undefined for one that does not move the story. */
export function momentOfEvent(event: EventBridgeEvent): Moment | undefined {
  const detail = (event.detail ?? {}) as Detail;
  const at = Date.parse(event.time);
  if (event.source === 'aws.cloudwatch') return alarmMoment(detail, at);
  if (event.source === 'aws.autoscaling') return scalingMoment(event, detail, at);
  return undefined;
}

const OBSERVED_FROM = { scaleOut: 'the stress start', scaleIn: 'the stress end' } as const;
const OBSERVED_WHAT = { scaleOut: 'scale-out', scaleIn: 'scale-in' } as const;

/** "scale-out seen 3 min 55 s after the stress start", or that it never came. */
export function observationMoment(
  kind: keyof typeof OBSERVED_WHAT,
  observation: ObservationSummary,
  at: number,
): Moment {
  const after = `${humanDuration(observation.elapsedSeconds)} after ${OBSERVED_FROM[kind]}`;
  return observation.held
    ? { at, text: `${OBSERVED_WHAT[kind]} seen ${after}`, tone: 'good' }
    : { at, text: `${OBSERVED_WHAT[kind]} NOT seen within ${after}`, tone: 'bad' };
}
