import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { LocalEventBus } from '../../local/eventbridge/bus.js';
import type { DeliveryFaults } from '../../local/eventbridge/faults.js';
import { waitFor } from '../helpers/wait-for.js';

const scaling = (n: number) => ({
  Source: 'aws.autoscaling',
  DetailType: 'EC2 Instance Launch Successful',
  Detail: JSON.stringify({ n }),
});
const other = { Source: 'aws.ec2', DetailType: 'EC2 Instance State-change Notification', Detail: '{}' };

describe('LocalEventBus fault injection (Auto Scaling events are delivered best effort)', () => {
  let bus: LocalEventBus;
  afterEach(() => bus.close());

  /** A bus at a high time scale whose one rule sees everything, recording `detail.n` or the source. */
  function busWith(faults: DeliveryFaults): string[] {
    bus = new LocalEventBus({ clock: new Clock({ scale: 1000 }), faults });
    const received: string[] = [];
    bus.putRule({ name: 'all', eventPattern: { source: ['aws.autoscaling', 'aws.ec2'] } });
    bus.putTargets('all', [
      {
        id: 'recorder',
        handler: (event) => {
          const n = (event.detail as { n?: number }).n;
          received.push(n === undefined ? event.source : String(n));
        },
      },
    ]);
    return received;
  }

  it('drops every Auto Scaling event with drop 1, and only those', async () => {
    const received = busWith({ drop: 1 });
    const seen: string[] = [];
    bus.subscribe((event) => seen.push(event.source));

    bus.putEvents([scaling(1), other, scaling(2)]);
    await waitFor(() => seen.length === 3, { timeoutMs: 2000, what: 'listener saw 3 events' });
    await bus.drain();

    expect(received).toEqual(['aws.ec2']);
    expect(bus.faultRecords().map(({ fault }) => fault)).toEqual(['dropped', 'dropped']);
  });

  it('delivers each event twice with duplicate 1', async () => {
    const received = busWith({ duplicate: 1 });

    bus.putEvents([scaling(1), scaling(2)]);
    await waitFor(() => received.length === 4, { timeoutMs: 2000, what: 'four deliveries' });

    expect([...received].sort()).toEqual(['1', '1', '2', '2']);
  });

  it('delivers a delayed event later, after an undisturbed one put after it', async () => {
    const received = busWith({ delay: 1, maxDelaySeconds: 30 });

    bus.putEvents([scaling(1)]);
    bus.putEvents([other]);
    await waitFor(() => received.length === 2, { timeoutMs: 2000, what: 'both delivered' });

    expect(received).toEqual(['aws.ec2', '1']);
    expect(bus.faultRecords()[0]).toMatchObject({ fault: 'delayed', delaySeconds: expect.any(Number) });
  });

  it('reorders: some seed delivers Auto Scaling events out of order, none lost or repeated', async () => {
    let reordered: string[] | undefined;
    for (let seed = 1; seed <= 20 && !reordered; seed++) {
      const received = busWith({ reorder: 0.5, seed, maxDelaySeconds: 1 });
      bus.putEvents([scaling(1), scaling(2), scaling(3), scaling(4)]);
      await waitFor(() => received.length === 4, { timeoutMs: 2000, what: `seed ${seed}: all four` });
      expect([...received].sort()).toEqual(['1', '2', '3', '4']);
      if (received.join() !== '1,2,3,4') reordered = received;
      bus.close();
    }

    expect(reordered).toBeDefined();
  });

  it('repeats the same faults for the same seed', async () => {
    const faultsOf = async (seed: number) => {
      busWith({ drop: 0.3, duplicate: 0.3, seed });
      bus.putEvents([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(scaling));
      await bus.drain();
      const faults = bus.faultRecords().map(({ fault }) => fault);
      bus.close();
      return faults;
    };

    const first = await faultsOf(7);

    expect(await faultsOf(7)).toEqual(first);
    expect(first.length).toBeGreaterThan(0);
  });

  it('refuses a fraction outside 0–1, naming the fault', () => {
    expect(() => busWith({ drop: 1.5 })).toThrow('fault drop must be a fraction from 0 to 1 (got 1.5)');
  });
});
