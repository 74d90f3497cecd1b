import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { type EventBridgeEvent, LocalEventBus } from '../../local/eventbridge/bus.js';
import {
  EventBusClosedError,
  EventBusValidationError,
  InvalidEventPatternError,
  PutEventsValidationError,
  RuleNotFoundError,
} from '../../local/eventbridge/errors.js';

const launchPattern = { source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Successful'] };

function launchEntry(group = 'scalelab-asg') {
  return {
    Source: 'aws.autoscaling',
    DetailType: 'EC2 Instance Launch Successful',
    Detail: JSON.stringify({ AutoScalingGroupName: group, EC2InstanceId: 'i-0123456789abcdef0' }),
    Resources: [
      'arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:x:autoScalingGroupName/scalelab-asg',
    ],
  };
}

describe('LocalEventBus: PutEvents and routing', () => {
  let bus: LocalEventBus;
  afterEach(() => bus.close());

  it('fills the envelope like AWS and returns FailedEntryCount and EventIds', async () => {
    // Prepare
    bus = new LocalEventBus({ clock: new Clock({ scale: 100 }) });
    const received: EventBridgeEvent[] = [];
    bus.putRule({ name: 'launches', eventPattern: launchPattern });
    bus.putTargets('launches', [{ id: 'collect', handler: (event) => void received.push(event) }]);
    // Act
    const result = bus.putEvents([launchEntry()]);
    await bus.drain();
    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(1);
    const [event] = received;
    expect(event).toMatchObject({
      version: '0',
      id: result.Entries[0]?.EventId,
      'detail-type': 'EC2 Instance Launch Successful',
      source: 'aws.autoscaling',
      account: '000000000000',
      region: 'us-east-1',
      detail: { AutoScalingGroupName: 'scalelab-asg' },
    });
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(event?.resources).toHaveLength(1);
  });

  it('accepts whole envelopes and keeps their fields', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    const received: EventBridgeEvent[] = [];
    bus.putRule({ name: 'states', eventPattern: { source: ['aws.states'] } });
    bus.putTargets('states', [{ id: 't', handler: (event) => void received.push(event) }]);
    bus.putEvents([
      {
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        detail: { status: 'RUNNING' },
        id: 'fixed-id',
        time: '2026-01-01T00:00:00Z',
      },
    ]);
    await bus.drain();
    expect(received[0]).toMatchObject({
      id: 'fixed-id',
      time: '2026-01-01T00:00:00Z',
      detail: { status: 'RUNNING' },
    });
  });

  it('reports bad entries per entry, as AWS does, and still delivers the good ones', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    let delivered = 0;
    bus.putRule({ name: 'launches', eventPattern: launchPattern });
    bus.putTargets('launches', [
      {
        id: 't',
        handler: () => {
          delivered += 1;
        },
      },
    ]);
    const result = bus.putEvents([
      launchEntry(),
      { ...launchEntry(), Detail: 'not json' },
      { ...launchEntry(), Detail: '[1, 2]' },
      { DetailType: 'x', Detail: '{}' },
    ]);
    await bus.drain();
    expect(result.FailedEntryCount).toBe(3);
    expect(result.Entries.map((entry) => entry.ErrorCode)).toEqual([
      undefined,
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
    ]);
    expect(result.Entries[3]?.ErrorMessage).toContain('Source');
    expect(delivered).toBe(1);
  });

  it('rejects a request with no entries or more than 10', () => {
    bus = new LocalEventBus({ clock: new Clock() });
    expect(() => bus.putEvents([])).toThrow(PutEventsValidationError);
    expect(() => bus.putEvents(Array.from({ length: 11 }, () => launchEntry()))).toThrow(
      'at most 10 entries',
    );
  });

  it('delivers only to rules whose pattern matches, and not to disabled rules', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    const hits: string[] = [];
    bus.putRule({ name: 'mine', eventPattern: { detail: { AutoScalingGroupName: ['scalelab-asg'] } } });
    bus.putRule({ name: 'other', eventPattern: { detail: { AutoScalingGroupName: ['other'] } } });
    bus.putRule({ name: 'off', eventPattern: launchPattern, state: 'DISABLED' });
    for (const name of ['mine', 'other', 'off'])
      bus.putTargets(name, [{ id: 't', handler: () => void hits.push(name) }]);
    bus.putEvents([launchEntry()]);
    await bus.drain();
    expect(hits).toEqual(['mine']);
  });

  it('never delivers inside the putEvents call stack', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    let delivered = false;
    bus.putRule({ name: 'r', eventPattern: launchPattern });
    bus.putTargets('r', [
      {
        id: 't',
        handler: () => {
          delivered = true;
        },
      },
    ]);
    const seen: string[] = [];
    bus.subscribe((event) => void seen.push(event['detail-type']));
    bus.putEvents([launchEntry()]);
    expect(delivered).toBe(false);
    expect(seen).toEqual([]);
    await bus.drain();
    expect(delivered).toBe(true);
  });

  it('lets a subscriber see every event, matched by a rule or not, until it unsubscribes', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((event) => void seen.push(event.source));
    bus.putEvents([launchEntry(), { Source: 'scalelab.operator', DetailType: 'x', Detail: '{}' }]);
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();
    bus.putEvents([launchEntry()]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['aws.autoscaling', 'scalelab.operator']);
  });

  it('gives each target its own copy of the event', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    const states: unknown[] = [];
    bus.putRule({ name: 'r', eventPattern: launchPattern });
    bus.putTargets('r', [
      {
        id: 'mutator',
        handler: (event) => {
          (event.detail as Record<string, unknown>).AutoScalingGroupName = 'changed';
        },
      },
      {
        id: 'reader',
        handler: (event) => void states.push((event.detail as Record<string, unknown>).AutoScalingGroupName),
      },
    ]);
    bus.putEvents([launchEntry()]);
    await bus.drain();
    expect(states).toEqual(['scalelab-asg']);
  });
});

describe('LocalEventBus: rules and targets', () => {
  let bus: LocalEventBus;
  afterEach(() => bus.close());

  it('rejects an invalid pattern at putRule, naming the bad part', () => {
    bus = new LocalEventBus({ clock: new Clock() });
    expect(() => bus.putRule({ name: 'bad', eventPattern: { source: 'aws.ec2' } })).toThrow(
      InvalidEventPatternError,
    );
    expect(() => bus.putRule({ name: 'bad', eventPattern: { source: 'aws.ec2' } })).toThrow('"source"');
  });

  it('rejects rule names and target ids AWS would refuse', () => {
    bus = new LocalEventBus({ clock: new Clock() });
    expect(() => bus.putRule({ name: 'has space', eventPattern: launchPattern })).toThrow(
      EventBusValidationError,
    );
    bus.putRule({ name: 'ok', eventPattern: launchPattern });
    expect(() => bus.putTargets('ok', [{ id: 'a/b', handler: () => undefined }])).toThrow(
      EventBusValidationError,
    );
    const six = Array.from({ length: 6 }, (_, index) => ({ id: `t${index}`, handler: () => undefined }));
    expect(() => bus.putTargets('ok', six)).toThrow('AWS allows 5');
  });

  it('answers unknown rules with RuleNotFoundError', () => {
    bus = new LocalEventBus({ clock: new Clock() });
    expect(() => bus.putTargets('nope', [])).toThrow(RuleNotFoundError);
    expect(() => bus.removeRule('nope')).toThrow('Rule nope does not exist on EventBus default.');
  });

  it('keeps targets when a rule is replaced and stops delivering once it is removed', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    let hits = 0;
    const { RuleArn } = bus.putRule({ name: 'r', eventPattern: { source: ['nothing'] } });
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/r');
    bus.putTargets('r', [
      {
        id: 't',
        handler: () => {
          hits += 1;
        },
      },
    ]);
    bus.putRule({ name: 'r', eventPattern: launchPattern });
    bus.putEvents([launchEntry()]);
    await bus.drain();
    bus.removeRule('r');
    bus.putEvents([launchEntry()]);
    await bus.drain();
    expect(hits).toBe(1);
    expect(bus.listRules()).toEqual([]);
  });

  it('refuses events once closed', () => {
    bus = new LocalEventBus({ clock: new Clock() });
    bus.close();
    expect(() => bus.putEvents([launchEntry()])).toThrow(EventBusClosedError);
  });
});
