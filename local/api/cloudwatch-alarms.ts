/**
 * DescribeAlarms over the local cloud's metric alarms: the target-tracking alarms of every
 * Auto Scaling group (the only alarms the local cloud has), in AWS's MetricAlarm shape.
 */
import { arn } from '../arn.js';
import type { MetricAlarm } from '../cloudwatch/index.js';
import type { LocalAws } from '../local-aws.js';
import { InvalidParameterCombinationException, InvalidParameterValueException } from './cloudwatch-errors.js';
import {
  dimensionList,
  type Members,
  optionalInteger,
  optionalString,
  optionalStringList,
} from './cloudwatch-input.js';
import { page } from './cloudwatch-paging.js';

const STATE_VALUES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm'];
const DEFAULT_MAX_RECORDS = 50;

/** Every alarm of every group, by name as AWS lists them. */
function allAlarms(cloud: LocalAws): MetricAlarm[] {
  return cloud.autoscaling
    .describeAutoScalingGroups()
    .flatMap((group) => cloud.autoscaling.alarmsOf(group.AutoScalingGroupName ?? ''))
    .sort((a, b) => a.props.alarmName.localeCompare(b.props.alarmName));
}

/** When the alarm last changed state (simulated time); undefined while it never has. */
function lastTransition(alarm: MetricAlarm): Date | undefined {
  const changed = alarm.evaluations().findLast((evaluation) => evaluation.state !== evaluation.previousState);
  return changed ? new Date(changed.timestamp) : undefined;
}

function metricAlarmOf(alarm: MetricAlarm) {
  const { props } = alarm;
  const transitioned = lastTransition(alarm);
  return {
    AlarmName: props.alarmName,
    AlarmArn: arn('cloudwatch', `alarm:${props.alarmName}`),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateUpdatedTimestamp: transitioned,
    StateTransitionedTimestamp: transitioned,
    MetricName: props.metricName,
    Namespace: props.namespace,
    Statistic: props.statistic,
    Dimensions: dimensionList(props.dimensions),
    Period: props.period,
    EvaluationPeriods: props.evaluationPeriods,
    DatapointsToAlarm: props.datapointsToAlarm ?? props.evaluationPeriods,
    Threshold: props.threshold,
    ComparisonOperator: props.comparisonOperator,
    TreatMissingData: props.treatMissingData ?? 'missing',
  };
}

interface AlarmFilter {
  names?: string[];
  prefix?: string;
  state?: string;
  metricAlarms: boolean;
}

function filterOf(body: Members): AlarmFilter {
  const names = optionalStringList(body, 'AlarmNames');
  const prefix = optionalString(body, 'AlarmNamePrefix');
  if (names !== undefined && prefix !== undefined) {
    throw new InvalidParameterCombinationException(
      'AlarmNames and AlarmNamePrefix cannot be specified together.',
    );
  }
  const state = optionalString(body, 'StateValue');
  if (state !== undefined && !STATE_VALUES.includes(state)) {
    throw new InvalidParameterValueException(
      `The parameter StateValue must be a value in the set [ ${STATE_VALUES.join(', ')} ].`,
    );
  }
  for (const refused of ['ActionPrefix', 'ChildrenOfAlarmName', 'ParentsOfAlarmName']) {
    if (optionalString(body, refused) !== undefined) {
      throw new InvalidParameterValueException(
        `${refused} is not supported by the local endpoint: its alarms have no actions or composite alarms.`,
      );
    }
  }
  const types = optionalStringList(body, 'AlarmTypes');
  for (const type of types ?? []) {
    if (!ALARM_TYPES.includes(type)) {
      throw new InvalidParameterValueException(
        `The parameter AlarmTypes must hold values in the set [ ${ALARM_TYPES.join(', ')} ].`,
      );
    }
  }
  // AWS lists only metric alarms unless AlarmTypes says otherwise.
  return { names, prefix, state, metricAlarms: types === undefined || types.includes('MetricAlarm') };
}

function matches(alarm: MetricAlarm, filter: AlarmFilter): boolean {
  const name = alarm.props.alarmName;
  return (
    (filter.names === undefined || filter.names.includes(name)) &&
    (filter.prefix === undefined || name.startsWith(filter.prefix)) &&
    (filter.state === undefined || alarm.state === filter.state)
  );
}

/** DescribeAlarms: filtered by names, prefix and state, MaxRecords (1-100, default 50) a page. */
export function describeAlarms(cloud: LocalAws, body: Members) {
  const maxRecords = optionalInteger(body, 'MaxRecords') ?? DEFAULT_MAX_RECORDS;
  if (maxRecords < 1 || maxRecords > 100) {
    throw new InvalidParameterValueException(
      `The parameter MaxRecords must be between 1 and 100, got ${maxRecords}.`,
    );
  }
  const filter = filterOf(body);
  const alarms = filter.metricAlarms ? allAlarms(cloud).filter((alarm) => matches(alarm, filter)) : [];
  const { items, next } = page(alarms, maxRecords, optionalString(body, 'NextToken'));
  return { MetricAlarms: items.map(metricAlarmOf), CompositeAlarms: [], NextToken: next };
}
