import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { LocalEventBus } from '../../local/eventbridge/bus.js';
import { LOCAL_RETRY_POLICY, retryDelaySeconds } from '../../local/eventbridge/delivery.js';
import { DeliveryTimeoutError, EventBusValidationError } from '../../local/eventbridge/errors.js';
import { waitFor } from '../helpers/wait-for.js';

const pattern = { source: ['scalelab.test'] };
const entry = { Source: 'scalelab.test', DetailType: 'Ping', Detail: '{}' };

describe('LocalEventBus: retries, isolation, drain and close', () => {
  let bus: LocalEventBus;
  afterEach(() => bus.close());

  it('retries a failing target until it succeeds (at least once delivery)', async () => {
    // Prepare: scale 1000 makes the 1 s, 2 s, 4 s backoff take 1, 2, 4 ms.
    const errors: string[] = [];
    bus = new LocalEventBus({
      clock: new Clock({ scale: 1000 }),
      onError: (_e, context) => void errors.push(context),
    });
    let calls = 0;
    bus.putRule({ name: 'r', eventPattern: pattern });
    bus.putTargets('r', [
      {
        id: 'flaky',
        handler: () => {
          calls += 1;
          if (calls < 4) throw new Error(`failure ${calls}`);
        },
      },
    ]);
    // Act
    bus.putEvents([entry]);
    await bus.drain();
    // Assess
    expect(calls).toBe(4);
    expect(bus.deadLetters()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('gives up after the policy maximum and records a dead letter', async () => {
    const errors: string[] = [];
    bus = new LocalEventBus({
      clock: new Clock({ scale: 1000 }),
      retryPolicy: { maximumRetryAttempts: 3 },
      onError: (_e, context) => void errors.push(context),
    });
    let calls = 0;
    bus.putRule({ name: 'r', eventPattern: pattern });
    bus.putTargets('r', [{ id: 'broken', handler: () => Promise.reject(new Error(`nope ${++calls}`)) }]);
    bus.putEvents([entry]);
    await bus.drain();
    expect(calls).toBe(4);
    const [letter] = bus.deadLetters();
    expect(letter).toMatchObject({
      ruleName: 'r',
      targetId: 'broken',
      attempts: 4,
      reason: 'retries-exhausted',
    });
    expect(letter?.error).toEqual(new Error('nope 4'));
    expect(errors).toEqual(['rule r target broken gave up (retries-exhausted)']);
  });

  it('stops retrying once the event is older than the maximum age', async () => {
    bus = new LocalEventBus({
      // Scale 20: timers firing up to 200 ms late (4 simulated seconds) still count the same.
      clock: new Clock({ scale: 20 }),
      retryPolicy: { maximumRetryAttempts: 100, maximumEventAgeSeconds: 11 },
      onError: () => undefined,
    });
    let calls = 0;
    bus.putRule({ name: 'r', eventPattern: pattern });
    bus.putTargets('r', [
      {
        id: 'broken',
        handler: () => {
          calls += 1;
          throw new Error('still broken');
        },
      },
    ]);
    bus.putEvents([entry]);
    await bus.drain();
    // Delays 1 + 2 + 4 = 7 s fit in 11 s; the next (8 s) would make the event at least 15 s old.
    expect(calls).toBe(4);
    expect(bus.deadLetters()[0]?.reason).toBe('event-too-old');
  });

  it('keeps delivering to other targets while one fails or hangs', async () => {
    bus = new LocalEventBus({
      clock: new Clock({ scale: 1000 }),
      retryPolicy: { maximumRetryAttempts: 1, attemptTimeoutMs: 300 },
      onError: () => undefined,
    });
    const healthy: string[] = [];
    bus.putRule({ name: 'r', eventPattern: pattern });
    bus.putTargets('r', [
      { id: 'hangs', handler: () => new Promise<void>(() => undefined) },
      { id: 'throws', handler: () => Promise.reject(new Error('boom')) },
      { id: 'healthy', handler: (event) => void healthy.push(event.id) },
    ]);
    const { Entries } = bus.putEvents([entry, entry]);
    await waitFor(() => healthy.length === 2, { timeoutMs: 1_000, what: 'the healthy target' });
    // The healthy target was served while the hanging one was still in its first attempt.
    expect(bus.deadLetters().filter((letter) => letter.targetId === 'hangs')).toEqual([]);
    expect(healthy).toEqual(Entries.map((e) => e.EventId));
    await bus.drain();
    const outcomes = bus
      .deadLetters()
      .map((l) => [l.targetId, l.attempts, l.error instanceof DeliveryTimeoutError]);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        ['hangs', 2, true],
        ['throws', 2, false],
      ]),
    );
    expect(bus.deadLetters()).toHaveLength(4);
  });

  it('drains deliveries caused by deliveries (a handler that puts events)', async () => {
    bus = new LocalEventBus({ clock: new Clock() });
    const seen: string[] = [];
    bus.putRule({ name: 'first', eventPattern: { 'detail-type': ['First'] } });
    bus.putRule({ name: 'second', eventPattern: { 'detail-type': ['Second'] } });
    bus.putTargets('first', [
      {
        id: 'relay',
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          bus.putEvents([{ Source: 's', DetailType: 'Second', Detail: '{}' }]);
        },
      },
    ]);
    bus.putTargets('second', [{ id: 'sink', handler: (event) => void seen.push(event['detail-type']) }]);
    bus.putEvents([{ Source: 's', DetailType: 'First', Detail: '{}' }]);
    await bus.drain();
    expect(seen).toEqual(['Second']);
    expect(bus.pendingDeliveries).toBe(0);
  });

  it('close cancels waiting retries so drain resolves at once and no timer is left', async () => {
    // Scale 1: the first retry would wait a real second.
    bus = new LocalEventBus({ clock: new Clock({ scale: 1 }), onError: () => undefined });
    let calls = 0;
    bus.putRule({ name: 'r', eventPattern: pattern });
    bus.putTargets('r', [{ id: 'broken', handler: () => Promise.reject(new Error(`no ${++calls}`)) }]);
    bus.putEvents([entry]);
    await waitFor(() => calls === 1, { timeoutMs: 1_000, what: 'the first attempt' });
    await waitFor(() => bus.deadLetters().length === 0 && bus.pendingDeliveries === 1, {
      what: 'a waiting retry',
    });
    const started = performance.now();
    bus.close();
    await bus.drain();
    expect(performance.now() - started).toBeLessThan(100);
    expect(calls).toBe(1);
    expect(bus.deadLetters()[0]?.reason).toBe('bus-closed');
  });

  it('uses a deterministic doubling backoff capped at the policy maximum', () => {
    const delays = Array.from({ length: 8 }, (_, index) => retryDelaySeconds(LOCAL_RETRY_POLICY, index + 1));
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('rejects a retry policy it cannot honour', () => {
    expect(
      () => new LocalEventBus({ clock: new Clock(), retryPolicy: { maximumRetryAttempts: -1 } }),
    ).toThrow(EventBusValidationError);
    bus = new LocalEventBus({ clock: new Clock() });
  });
});
