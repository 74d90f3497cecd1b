import type { EventBridgeEvent } from '../local/eventbridge/index.js';

type Detail = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The sentence of an Auto Scaling Cause that says what happened to the capacity. */
function capacitySentence(cause: unknown): string {
  const sentences = text(cause).split(/(?<=\.) (?=At )/);
  return sentences.at(-1) ?? '';
}

/**
 * Launch / terminate results carry a Cause; lifecycle action events carry none, only the hook
 * the instance now waits in (an absent Cause once threw here and lost the event's line).
 */
function autoScalingSummary(d: Detail, event: EventBridgeEvent): string {
  const status = d.StatusMessage ? ` (${text(d.StatusMessage)})` : '';
  const what = `${event['detail-type']} ${text(d.EC2InstanceId)}${status}`;
  if (d.Cause !== undefined) return `${what}: ${capacitySentence(d.Cause)}`;
  return d.LifecycleHookName === undefined ? what : `${what}: waits in hook ${text(d.LifecycleHookName)}`;
}

const SUMMARIES: Record<string, (detail: Detail, event: EventBridgeEvent) => string> = {
  'aws.autoscaling': autoScalingSummary,
  'aws.ec2': (d) => `instance ${text(d['instance-id'])} is ${text(d.state)}`,
  'aws.cloudwatch': (d) => {
    const state = d.state as Detail | undefined;
    const previous = d.previousState as Detail | undefined;
    return `alarm ${text(d.alarmName)}: ${text(previous?.value)} → ${text(state?.value)} (${text(state?.reason)})`;
  },
  'aws.states': (d) => `execution ${text(d.name)} is ${text(d.status)}`,
};

/** One readable line for a bus event: simulated time, source and what happened. */
export function describeEvent(event: EventBridgeEvent): string {
  const summarise = SUMMARIES[event.source];
  const detail = (event.detail ?? {}) as Detail;
  const what = summarise ? summarise(detail, event) : `${event['detail-type']} ${JSON.stringify(detail)}`;
  return `${event.time} ${event.source.padEnd(15)} ${what}`;
}
