/**
 * CloudWatch's metric reads on the local metric store: GetMetricStatistics, GetMetricData
 * (MetricStat queries only) and ListMetrics. Times are simulated time, as the store keeps them.
 */
import {
  type Datapoint,
  type Dimensions,
  InvalidParameterValueError,
  type MetricStore,
  STATISTICS,
  type Statistic,
} from '../cloudwatch/index.js';
import {
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  MissingRequiredParameterException,
} from './cloudwatch-errors.js';
import {
  dimensionList,
  dimensionsOf,
  isMembers,
  type Members,
  optionalBoolean,
  optionalList,
  optionalString,
  optionalStringList,
  optionalStructure,
  requiredInteger,
  requiredString,
  requiredTimestamp,
} from './cloudwatch-input.js';
import { page } from './cloudwatch-paging.js';
import { SerializationException } from './errors.js';

/** CloudWatch's limit on the datapoints one GetMetricStatistics call may ask for. */
const MAX_STATISTICS_DATAPOINTS = 1440;
/** ListMetrics answers in pages of 500. */
const LIST_METRICS_PAGE = 500;
/** GetMetricData query ids: a lower-case letter, then letters, digits and underscores. */
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

interface MetricQuery {
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
  startTime: number;
  endTime: number;
  period: number;
  statistics: Statistic[];
}

/** The store's datapoints; its InvalidParameterValueError becomes CloudWatch's error. */
function datapointsOf(store: MetricStore, query: MetricQuery): Datapoint[] {
  try {
    return store.getMetricStatistics(query).Datapoints;
  } catch (error) {
    if (error instanceof InvalidParameterValueError) {
      throw new InvalidParameterValueException(error.message, { cause: error });
    }
    throw error;
  }
}

/** AWS's wording for a statistic outside the five basic ones (percentiles included: not served locally). */
function statisticsOf(values: string[], path: (index: number) => string): Statistic[] {
  values.forEach((value, i) => {
    if (!STATISTICS.includes(value as Statistic)) {
      throw new InvalidParameterValueException(
        `The parameter ${path(i)} must be a value in the set [ ${STATISTICS.join(', ')} ].`,
      );
    }
  });
  return values as Statistic[];
}

/** The load balancer metrics the local ELB publishes (local/elb/metrics.ts), counted in AWS's `Count`. */
const ELB_COUNTS = new Set(['RequestCount', 'HealthyHostCount', 'UnHealthyHostCount']);

/** The unit AWS reports; the local store keeps none, so it follows from the metrics the local cloud publishes. */
function unitOf(namespace: string, metricName: string): string {
  if (namespace === 'AWS/EC2' && metricName === 'CPUUtilization') return 'Percent';
  if (namespace === 'AWS/ApplicationELB' && ELB_COUNTS.has(metricName)) return 'Count';
  return 'None';
}

export function getMetricStatistics(store: MetricStore, body: Members) {
  const namespace = requiredString(body, 'Namespace');
  const metricName = requiredString(body, 'MetricName');
  const startTime = requiredTimestamp(body, 'StartTime');
  const endTime = requiredTimestamp(body, 'EndTime');
  const period = requiredInteger(body, 'Period');
  const statistics = optionalStringList(body, 'Statistics') ?? [];
  const extended = optionalStringList(body, 'ExtendedStatistics') ?? [];
  if (statistics.length === 0 && extended.length === 0) {
    throw new InvalidParameterCombinationException('Must specify either Statistics or ExtendedStatistics');
  }
  if (extended.length > 0) {
    throw new InvalidParameterValueException(
      'ExtendedStatistics (percentiles) are not supported by the local endpoint; use Statistics.',
    );
  }
  const requested = Math.ceil((endTime - startTime) / (period * 1000));
  if (period > 0 && requested > MAX_STATISTICS_DATAPOINTS) {
    throw new InvalidParameterCombinationException(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const query = {
    namespace,
    metricName,
    dimensions: dimensionsOf(body),
    startTime,
    endTime,
    period,
    statistics: statisticsOf(statistics, (i) => `Statistics.member.${i + 1}`),
  };
  const unit = unitOf(namespace, metricName);
  return {
    Label: metricName,
    Datapoints: datapointsOf(store, query).map(({ Timestamp, ...values }) => ({
      Timestamp: new Date(Timestamp),
      ...values,
      Unit: unit,
    })),
  };
}

interface DataQuery {
  id: string;
  label: string;
  returnData: boolean;
  query: MetricQuery;
}

/** One MetricDataQueries entry; metric math (`Expression`) is refused, not faked. */
function dataQueryOf(raw: unknown, index: number, startTime: number, endTime: number): DataQuery {
  const path = `MetricDataQueries.member.${index + 1}`;
  if (!isMembers(raw)) throw new SerializationException(`${path} must be a structure`);
  const id = requiredString(raw, 'Id', `${path}.Id`);
  if (!QUERY_ID.test(id)) {
    throw new InvalidParameterValueException(
      `The value ${id} for parameter ${path}.Id is not valid: it must start with a lower-case letter and hold only letters, digits and underscores.`,
    );
  }
  if (optionalString(raw, 'Expression', `${path}.Expression`) !== undefined) {
    throw new InvalidParameterValueException(
      `${path}.Expression: metric math is not supported by the local endpoint; use MetricStat.`,
    );
  }
  const stat = optionalStructure(raw, 'MetricStat', `${path}.MetricStat`);
  if (!stat) {
    throw new InvalidParameterCombinationException(
      `Exactly one of MetricStat and Expression must be set in ${path}.`,
    );
  }
  const metric = optionalStructure(stat, 'Metric', `${path}.MetricStat.Metric`);
  if (!metric)
    throw new MissingRequiredParameterException(`The parameter ${path}.MetricStat.Metric is required.`);
  const metricName = requiredString(metric, 'MetricName', `${path}.MetricStat.Metric.MetricName`);
  const statistic = requiredString(stat, 'Stat', `${path}.MetricStat.Stat`);
  return {
    id,
    label: optionalString(raw, 'Label', `${path}.Label`) ?? metricName,
    returnData: optionalBoolean(raw, 'ReturnData', `${path}.ReturnData`) ?? true,
    query: {
      namespace: requiredString(metric, 'Namespace', `${path}.MetricStat.Metric.Namespace`),
      metricName,
      dimensions: dimensionsOf(metric, 'Dimensions', `${path}.MetricStat.Metric.Dimensions`),
      startTime,
      endTime,
      period: requiredInteger(stat, 'Period', `${path}.MetricStat.Period`),
      statistics: statisticsOf([statistic], () => `${path}.MetricStat.Stat`),
    },
  };
}

/** GetMetricData for MetricStat queries, all results in one answer (no NextToken). */
export function getMetricData(store: MetricStore, body: Members) {
  const raw = optionalList(body, 'MetricDataQueries');
  if (!raw || raw.length === 0)
    throw new MissingRequiredParameterException('The parameter MetricDataQueries is required.');
  if (raw.length > 500) {
    throw new InvalidParameterValueException(
      'The collection MetricDataQueries must not have more than 500 members.',
    );
  }
  const startTime = requiredTimestamp(body, 'StartTime');
  const endTime = requiredTimestamp(body, 'EndTime');
  const scanBy = optionalString(body, 'ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw new InvalidParameterValueException(
      `The parameter ScanBy must be TimestampDescending or TimestampAscending, got '${scanBy}'.`,
    );
  }
  const queries = raw.map((entry, i) => dataQueryOf(entry, i, startTime, endTime));
  const ids = new Set<string>();
  for (const { id } of queries) {
    if (ids.has(id))
      throw new InvalidParameterValueException(`The value ${id} for parameter Id is used more than once.`);
    ids.add(id);
  }
  const MetricDataResults = queries
    .filter((query) => query.returnData)
    .map(({ id, label, query }) => {
      const [statistic] = query.statistics as [Statistic];
      const points = datapointsOf(store, query).filter((point) => point[statistic] !== undefined);
      if (scanBy === 'TimestampDescending') points.reverse();
      return {
        Id: id,
        Label: label,
        Timestamps: points.map((point) => new Date(point.Timestamp)),
        Values: points.map((point) => point[statistic] as number),
        StatusCode: 'Complete',
      };
    });
  return { MetricDataResults, Messages: [] };
}

interface DimensionFilter {
  name: string;
  value?: string;
}

function dimensionFiltersOf(body: Members): DimensionFilter[] {
  return (optionalList(body, 'Dimensions') ?? []).map((raw, i) => {
    const path = `Dimensions.member.${i + 1}`;
    if (!isMembers(raw)) throw new SerializationException(`${path} must be a structure`);
    return {
      name: requiredString(raw, 'Name', `${path}.Name`),
      value: optionalString(raw, 'Value', `${path}.Value`),
    };
  });
}

/** ListMetrics: the metrics with samples, filtered by namespace, name and dimensions, 500 a page. */
export function listMetrics(store: MetricStore, body: Members) {
  const namespace = optionalString(body, 'Namespace');
  const metricName = optionalString(body, 'MetricName');
  const filters = dimensionFiltersOf(body);
  const matching = store
    .listMetrics(namespace)
    .filter((metric) => metricName === undefined || metric.metricName === metricName)
    .filter((metric) =>
      filters.every(
        ({ name, value }) =>
          Object.hasOwn(metric.dimensions, name) &&
          (value === undefined || metric.dimensions[name] === value),
      ),
    );
  const { items, next } = page(matching, LIST_METRICS_PAGE, optionalString(body, 'NextToken'));
  return {
    Metrics: items.map((metric) => ({
      Namespace: metric.namespace,
      MetricName: metric.metricName,
      Dimensions: dimensionList(metric.dimensions),
    })),
    NextToken: next,
  };
}
