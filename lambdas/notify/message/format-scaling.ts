/** Messages for the lab group's Auto Scaling activity: scale-out / scale-in observed, or a failed one. */
import { type NotifyEvent, stringOf } from '../event/event.js';
import {
  code,
  context,
  escapeMrkdwn,
  fields,
  type SlackMessage,
  section,
  slackTime,
} from './slack-message.js';

type ScalingKind = 'scale-out' | 'scale-in' | 'instance-launched' | 'instance-terminated' | 'scaling-failed';

const TITLES: Readonly<Record<ScalingKind, string>> = {
  'scale-out': '⬆️ *Scale-out observed*',
  'scale-in': '⬇️ *Scale-in observed*',
  'instance-launched': '➕ *Instance launched*',
  'instance-terminated': '➖ *Instance terminated*',
  'scaling-failed': '⚠️ *Scaling activity failed*',
};

const VERBS: Readonly<Record<ScalingKind, string>> = {
  'scale-out': 'launched',
  'scale-in': 'terminated',
  'instance-launched': 'launched',
  'instance-terminated': 'terminated',
  'scaling-failed': 'not changed',
};

/**
 * The instance, when the activity ended, the group, and AWS's cause sentence ("At … a monitor
 * alarm … changing the desired capacity from 1 to 2. …"), which says why better than any summary.
 */
export function scalingMessage(kind: ScalingKind, event: NotifyEvent): SlackMessage {
  const { detail } = event;
  const instance = stringOf(detail, 'EC2InstanceId', 'an instance');
  const group = stringOf(detail, 'AutoScalingGroupName', 'the group');
  const at = stringOf(detail, 'EndTime', event.time);
  const cause = stringOf(detail, 'Cause');
  const statusMessage = stringOf(detail, 'StatusMessage');
  const lines = [`${TITLES[kind]}: ${code(instance)} ${VERBS[kind]} in ${code(group)}`];
  if (kind === 'scaling-failed')
    lines.push(`${escapeMrkdwn(event['detail-type'])}: ${escapeMrkdwn(statusMessage)}`);
  return {
    text: `scalelab: ${TITLES[kind].replace(/\*/g, '')}: ${instance} ${VERBS[kind]} in ${group}`,
    blocks: [
      section(lines.join('\n')),
      fields([
        ['Instance', code(instance)],
        ['At', slackTime(at)],
      ]),
      ...(cause ? [context(escapeMrkdwn(cause))] : []),
    ],
  };
}
