/**
 * Pattern/event pairs taken from AWS's documentation. Sources:
 * - EP:  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * - OPS: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * - CF:  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * - ARR: https://docs.aws.amazon.com/eventbridge/latest/userguide/arrays-in-eventbridge-event-patterns.html
 * - NUL: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * - RUL: https://github.com/aws/event-ruler (README), the matcher EventBridge is built on.
 */
export interface PatternCase {
  name: string;
  pattern: Record<string, unknown>;
  event: Record<string, unknown>;
  matches: boolean;
}

/** EP: the EC2 state-change event. */
export const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** RUL: the sample event used for every example in event-ruler's README. */
export const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** NUL: the Auto Scaling event with an empty string and a null. */
const nullEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...rulerEvent, detail });

export const documentedCases: PatternCase[] = [
  // EP
  {
    name: 'EP: source, detail-type and detail.state terminated',
    pattern: {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    event: ec2Event,
    matches: true,
  },
  {
    name: 'EP: a different state does not match',
    pattern: { source: ['aws.ec2'], detail: { state: ['running'] } },
    event: ec2Event,
    matches: false,
  },
  {
    name: 'EP: a field the event lacks does not match',
    pattern: { detail: { 'no-such-field': ['terminated'] } },
    event: ec2Event,
    matches: false,
  },
  {
    name: 'EP: matching is case-sensitive',
    pattern: { source: ['AWS.EC2'] },
    event: ec2Event,
    matches: false,
  },
  {
    name: 'EP: multiple values are ORed',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: ec2Event,
    matches: true,
  },
  // ARR
  {
    name: 'ARR: pattern array and event array intersect',
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    event: {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    matches: true,
  },
  {
    name: 'ARR: disjoint arrays do not match',
    pattern: { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    event: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    matches: false,
  },
  // NUL
  {
    name: 'NUL: [""] matches an empty string',
    pattern: { detail: { eventVersion: [''] } },
    event: nullEvent,
    matches: true,
  },
  {
    name: 'NUL: [null] matches null',
    pattern: { detail: { responseElements: [null] } },
    event: nullEvent,
    matches: true,
  },
  {
    name: 'NUL: [""] does not match null',
    pattern: { detail: { responseElements: [''] } },
    event: nullEvent,
    matches: false,
  },
  {
    name: 'NUL: [null] does not match ""',
    pattern: { detail: { eventVersion: [null] } },
    event: nullEvent,
    matches: false,
  },
  {
    name: 'NUL: [null] does not match a missing field',
    pattern: { detail: { nothing: [null] } },
    event: nullEvent,
    matches: false,
  },
  // CF: prefix
  {
    name: 'CF: prefix on time',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: rulerEvent,
    matches: true,
  },
  {
    name: 'CF: prefix not matching',
    pattern: { time: [{ prefix: '2017-10-03' }] },
    event: rulerEvent,
    matches: false,
  },
  // CF: anything-but
  {
    name: 'CF: anything-but a string, other value',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    name: 'CF: anything-but a string, same value',
    pattern: { detail: { state: [{ 'anything-but': 'running' }] } },
    event: rulerEvent,
    matches: false,
  },
  {
    name: 'CF: anything-but a number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    name: 'CF: anything-but a list of strings',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: withDetail({ state: 'overloaded' }),
    matches: false,
  },
  {
    name: 'CF: anything-but a list of numbers',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    name: 'CF: anything-but a list of numbers, listed value',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: withDetail({ 'x-limit': 200 }),
    matches: false,
  },
  {
    name: 'CF: anything-but prefix init vs "initializing"',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: withDetail({ state: 'initializing' }),
    matches: false,
  },
  {
    name: 'CF: anything-but prefix init vs "running"',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: rulerEvent,
    matches: true,
  },
  // CF: numeric
  {
    name: 'CF: numeric ranges and = 3.018e2',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: rulerEvent,
    matches: true,
  },
  {
    name: 'CF: numeric upper bound is inclusive only with <=',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } },
    event: rulerEvent,
    matches: false,
  },
  {
    name: 'CF: numeric only matches JSON numbers',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0] }] } },
    event: withDetail({ 'c-count': '5' }),
    matches: false,
  },
  // CF: cidr
  {
    name: 'CF: cidr 10.0.0.0/24 contains 10.0.0.33',
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    name: 'CF: cidr 10.0.0.0/24 excludes 10.0.1.33',
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
    event: withDetail({ 'source-ip': '10.0.1.33' }),
    matches: false,
  },
  {
    name: 'RUL: cidr works with IPv6',
    pattern: { detail: { 'source-ip': [{ cidr: '2001:db8::/32' }] } },
    event: withDetail({ 'source-ip': '2001:db8::1' }),
    matches: true,
  },
  // CF: exists
  {
    name: 'CF: exists true with detail.state present',
    pattern: { detail: { state: [{ exists: true }] } },
    event: ec2Event,
    matches: true,
  },
  {
    name: 'CF: exists true without detail.state',
    pattern: { detail: { state: [{ exists: true }] } },
    event: { detail: { 'c-count': { c1: 100 } } },
    matches: false,
  },
  {
    name: 'RUL: exists false on an intermediate node still matches (not a leaf)',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } },
    matches: true,
  },
  {
    name: 'RUL: exists false with the leaf present',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: rulerEvent,
    matches: false,
  },
  // CF / RUL: complex
  {
    name: 'RUL: complex example combining prefix, anything-but, numeric and cidr',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    event: rulerEvent,
    matches: true,
  },
  // RUL: suffix, equals-ignore-case, wildcard
  { name: 'RUL: suffix ec2', pattern: { source: [{ suffix: 'ec2' }] }, event: rulerEvent, matches: true },
  {
    name: 'RUL: equals-ignore-case EC2 vs aws.ec2 (whole value)',
    pattern: { source: [{ 'equals-ignore-case': 'EC2' }] },
    event: rulerEvent,
    matches: false,
  },
  {
    name: 'RUL: equals-ignore-case AWS.EC2',
    pattern: { source: [{ 'equals-ignore-case': 'AWS.EC2' }] },
    event: rulerEvent,
    matches: true,
  },
  {
    name: 'RUL: wildcard Simple*Service',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleQueueService' },
    matches: true,
  },
  {
    name: 'RUL: wildcard star matches zero characters',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleService' },
    matches: true,
  },
  {
    name: 'RUL: escaped star is literal',
    pattern: { source: [{ wildcard: 'a\\*b' }] },
    event: { source: 'axxb' },
    matches: false,
  },
  // OPS: the comparison-operator table
  {
    name: 'OPS: And',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    event: { Location: 'New York', Day: 'Tuesday' },
    matches: false,
  },
  {
    name: 'OPS: Anything-but (begins with) us-',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    event: { Region: 'eu-west-1' },
    matches: true,
  },
  {
    name: 'OPS: Anything-but (ends with) .png',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'photo.png' },
    matches: false,
  },
  {
    name: 'OPS: Anything-but (ignore case) initializing',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    event: { state: 'INITIALIZING' },
    matches: false,
  },
  {
    name: 'OPS: Anything-but using a wildcard */lib/*',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/lib/x.so' },
    matches: false,
  },
  {
    name: 'OPS: Anything-but using a wildcard, other path',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/bin/x' },
    matches: true,
  },
  {
    name: 'OPS: Begins with us-',
    pattern: { Region: [{ prefix: 'us-' }] },
    event: { Region: 'us-east-1' },
    matches: true,
  },
  {
    name: 'OPS: Begins with (ignore case) eventb',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    event: { service: 'EventBridge' },
    matches: true,
  },
  { name: 'OPS: Empty', pattern: { LastName: [''] }, event: { LastName: '' }, matches: true },
  { name: 'OPS: Equals', pattern: { Name: ['Alice'] }, event: { Name: 'Alice' }, matches: true },
  {
    name: 'OPS: Equals (ignore case)',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'ALICE' },
    matches: true,
  },
  {
    name: 'OPS: Ends with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'a.PNG' },
    matches: false,
  },
  {
    name: 'OPS: Ends with (ignore case) tBridge',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] },
    event: { service: 'EVENTBRIDGE' },
    matches: true,
  },
  {
    name: 'OPS: Exists',
    pattern: { ProductName: [{ exists: true }] },
    event: { ProductName: 'x' },
    matches: true,
  },
  {
    name: 'OPS: Does not exist',
    pattern: { ProductName: [{ exists: false }] },
    event: { Other: 1 },
    matches: true,
  },
  {
    name: 'OPS: Not (anything-but Raining)',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    event: { Weather: 'Raining' },
    matches: false,
  },
  { name: 'OPS: Null', pattern: { UserID: [null] }, event: { UserID: null }, matches: true },
  {
    name: 'OPS: Numeric (equals)',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: { Price: 100 },
    matches: true,
  },
  {
    name: 'OPS: Numeric (range) at the exclusive lower bound',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: 10 },
    matches: false,
  },
  {
    name: 'OPS: Numeric (range) at the inclusive upper bound',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: 20 },
    matches: true,
  },
  {
    name: 'OPS: Or (values)',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    event: { PaymentType: 'Debit' },
    matches: true,
  },
  {
    name: 'OPS: Or ($or across fields)',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Boston', Day: 'Monday' },
    matches: true,
  },
  {
    name: 'OPS: Or ($or), neither branch',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Boston', Day: 'Sunday' },
    matches: false,
  },
  {
    name: 'OPS: Wildcard dir/*.png',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: 'dir/a.png' },
    matches: true,
  },
  {
    name: 'OPS: Wildcard dir/*.png, another folder',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: 'other/a.png' },
    matches: false,
  },
  // RUL: $or nesting
  {
    name: 'RUL: "Or" has an "And" inside',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
        { scope: ['Service'] },
      ],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' },
    matches: true,
  },
  {
    name: 'RUL: "Or" with an incomplete "And" branch',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType' },
    matches: false,
  },
  {
    name: 'RUL: parallel "Or" at two levels',
    pattern: {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    },
    event: { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
    matches: true,
  },
  // RUL: arrays of objects
  {
    name: 'RUL: a field inside an array of objects',
    pattern: { employees: { firstName: ['Anna'] } },
    event: {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
      ],
    },
    matches: true,
  },
  {
    name: 'RUL: fields from different array elements do not combine',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    event: {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    },
    matches: false,
  },
  // The brief's extra rules: numbers compare numerically, not as strings.
  {
    name: 'numbers compare numerically (300 vs 3.0e2)',
    pattern: { n: [300] },
    event: JSON.parse('{"n": 3.0e2}'),
    matches: true,
  },
  { name: 'a number never equals a string', pattern: { n: [5] }, event: { n: '5' }, matches: false },
  { name: 'booleans match exactly', pattern: { ok: [true] }, event: { ok: true }, matches: true },
];

/** Patterns AWS rejects, with the part the error message must name. */
export const invalidPatterns: { name: string; pattern: unknown; mentions: string }[] = [
  { name: 'non-array leaf', pattern: { source: 'aws.ec2' }, mentions: '"source"' },
  {
    name: 'unknown operator',
    pattern: { detail: { state: [{ 'begins-with': 'x' }] } },
    mentions: 'begins-with',
  },
  { name: 'numeric with a bad operator', pattern: { n: [{ numeric: ['!=', 3] }] }, mentions: '"!="' },
  {
    name: 'numeric range upside down',
    pattern: { n: [{ numeric: ['<', 3, '>', 1] }] },
    mentions: 'lower bound',
  },
  { name: 'numeric empty range', pattern: { n: [{ numeric: ['>', 5, '<', 1] }] }, mentions: 'empty' },
  { name: 'numeric missing number', pattern: { n: [{ numeric: ['>'] }] }, mentions: 'numeric' },
  { name: 'numeric out of range', pattern: { n: [{ numeric: ['>', 6e9] }] }, mentions: 'outside' },
  { name: 'empty match list', pattern: { source: [] }, mentions: 'empty arrays' },
  { name: 'empty object', pattern: { detail: {} }, mentions: '"detail"' },
  { name: '$or with one branch', pattern: { $or: [{ a: ['x'] }] }, mentions: '$or' },
  { name: 'consecutive wildcards', pattern: { f: [{ wildcard: 'a**b' }] }, mentions: 'consecutive' },
  { name: 'wildcard bad escape', pattern: { f: [{ wildcard: 'a\\b' }] }, mentions: 'escape' },
  {
    name: 'anything-but mixed list',
    pattern: { f: [{ 'anything-but': ['a', 1] }] },
    mentions: 'anything-but',
  },
  {
    name: 'anything-but unknown nested',
    pattern: { f: [{ 'anything-but': { numeric: ['>', 1] } }] },
    mentions: 'numeric',
  },
  { name: 'bad cidr', pattern: { ip: [{ cidr: '10.0.0.0/33' }] }, mentions: 'cidr' },
  { name: 'exists not boolean', pattern: { f: [{ exists: 'yes' }] }, mentions: 'exists' },
  {
    name: 'operator with two keys',
    pattern: { f: [{ prefix: 'a', suffix: 'b' }] },
    mentions: 'exactly one key',
  },
  { name: 'nested array in a match list', pattern: { f: [['a']] }, mentions: '"f[0]"' },
  { name: 'pattern not an object', pattern: ['aws.ec2'], mentions: 'JSON object' },
  { name: 'pattern JSON text that does not parse', pattern: '{"source": [', mentions: 'not valid JSON' },
];
