import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError } from '../../local/eventbridge/errors.js';
import { compilePattern, matchesPattern, validatePattern } from '../../local/eventbridge/pattern.js';
import { documentedCases, ec2Event, invalidPatterns } from './pattern-cases.js';

describe('matchesPattern: AWS documentation examples', () => {
  it.each(documentedCases)('$name → $matches', ({ pattern, event, matches }) => {
    expect(matchesPattern(pattern, structuredClone(event))).toBe(matches);
  });
});

describe('matchesPattern: rules around arrays and missing fields', () => {
  it('matches when any element of an event array matches an operator', () => {
    expect(matchesPattern({ tags: [{ prefix: 'env-' }] }, { tags: ['team-a', 'env-prod'] })).toBe(true);
  });

  it('treats an empty event array as no value (exists false matches, exists true does not)', () => {
    expect(matchesPattern({ tags: [{ exists: false }] }, { tags: [] })).toBe(true);
    expect(matchesPattern({ tags: [{ exists: true }] }, { tags: [] })).toBe(false);
  });

  it('never matches anything-but on a missing field', () => {
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'x' }] } }, { detail: {} })).toBe(false);
  });

  it('matches exists false when the whole parent object is missing', () => {
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, { source: 'x' })).toBe(true);
  });

  it('accepts the pattern as JSON text, as PutRule does', () => {
    expect(matchesPattern(JSON.stringify({ source: ['aws.ec2'] }), ec2Event)).toBe(true);
  });

  it('matches the Auto Scaling rule the operator uses against a launch event', () => {
    const rule = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful', 'EC2 Instance Terminate Successful'],
      detail: { AutoScalingGroupName: ['scalelab-asg'] },
    };
    const event = {
      ...ec2Event,
      source: 'aws.autoscaling',
      'detail-type': 'EC2 Instance Terminate Successful',
      detail: { AutoScalingGroupName: 'scalelab-asg', StatusCode: 'InProgress' },
    };
    expect(matchesPattern(rule, event)).toBe(true);
    expect(matchesPattern(rule, { ...event, detail: { AutoScalingGroupName: 'other' } })).toBe(false);
  });

  it('compiles once and can be applied to many events', () => {
    const matches = compilePattern({ detail: { state: ['terminated', 'running'] } });
    expect(matches(ec2Event)).toBe(true);
    expect(matches({ ...ec2Event, detail: { state: 'pending' } })).toBe(false);
  });
});

describe('validatePattern', () => {
  it.each(invalidPatterns)('rejects $name, naming $mentions', ({ pattern, mentions }) => {
    expect(() => validatePattern(pattern)).toThrow(InvalidEventPatternError);
    expect(() => validatePattern(pattern)).toThrow(mentions);
  });

  it('accepts every documented pattern', () => {
    for (const { pattern } of documentedCases) expect(() => validatePattern(pattern)).not.toThrow();
  });

  it('names the full path of the bad part', () => {
    expect(() => validatePattern({ detail: { state: [{ prefix: 3 }] } })).toThrow(
      'Event pattern is not valid at "detail.state[0].prefix": prefix must be a string, got 3',
    );
  });
});
