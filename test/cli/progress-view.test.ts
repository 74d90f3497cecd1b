import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressView } from '../../cli/progress/progress-view.js';
import { parseLabConfig } from '../../lab/config.js';
import { labPhasePlan } from '../../lab/phase-plan.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import type { LabProgress } from '../../local-lab/run/lab-run.js';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number): string => new Date(START + seconds * 1000).toISOString();

/** A stream that keeps what is written, as a terminal (isTTY, 100 columns) or a log. */
function sink(tty: boolean): Writable & { text: () => string; isTTY?: boolean; columns?: number } {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  }) as Writable & { text: () => string; isTTY?: boolean; columns?: number; rows?: number };
  stream.text = () => written;
  if (tty) Object.assign(stream, { isTTY: true, columns: 100, rows: 30 });
  return stream;
}

function event(source: string, detailType: string, seconds: number, detail: object): EventBridgeEvent {
  return {
    version: '0',
    id: `${seconds}`,
    'detail-type': detailType,
    source,
    account: '000000000000',
    time: at(seconds),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

const phase = (name: string, start: number) => ({
  phase: name,
  simulatedStart: at(start),
  simulatedSeconds: 0,
  realSeconds: 0,
});

/** A short lab's story: healthy, stressed, the alarm, scale-out seen, cooling down. */
function story(): { progress: LabProgress; events: EventBridgeEvent[] } {
  const events = [
    event('aws.ec2', 'EC2 Instance State-change Notification', 2, { 'instance-id': 'i-1', state: 'pending' }),
    event('aws.autoscaling', 'EC2 Instance Launch Successful', 60, {
      EC2InstanceId: 'i-1',
      Cause: 'At … changing the desired capacity from 0 to 1.',
    }),
    event('aws.cloudwatch', 'CloudWatch Alarm State Change', 540, {
      alarmName: 'TargetTracking-scalelab-serve-AlarmHigh-abc',
      previousState: { value: 'OK' },
      state: { value: 'ALARM' },
    }),
    event('aws.autoscaling', 'EC2 Instance Launch Successful', 600, {
      EC2InstanceId: 'i-2',
      Cause: 'At … changing the desired capacity from 1 to 2.',
    }),
  ];
  const progress: LabProgress = {
    phases: [
      phase('Validate', 0),
      phase('Provision', 0),
      phase('WaitUntilHealthy', 3),
      phase('VerifyLoadBalancing', 70),
      phase('WaitForWarmUp', 71),
      phase('StartStress', 371),
      phase('ObserveScaleOut', 371),
      phase('CoolDown', 610),
    ],
    observations: {
      scaleOut: { held: true, trigger: 'event', path: 'event', rounds: 8, elapsedSeconds: 239 },
    },
    simulatedSeconds: 620,
    realSeconds: 31,
    inService: 2,
    healthy: 2,
    cpu: 41,
    target: 50,
  };
  return { progress, events };
}

const options = (out: Writable, live: boolean) => ({
  out,
  live,
  color: false,
  plan: labPhasePlan(parseLabConfig({})),
  timeScale: 20,
  simulatedStart: START,
});

describe('the progress view', () => {
  it('prints a log one lasting line per phase and per thing that happened, in simulated order', () => {
    const out = sink(false);
    const view = new ProgressView(options(out, false));
    const { progress, events } = story();

    view.update(progress, events);
    view.update(progress, events); // nothing new: nothing printed twice
    view.finish();

    expect(out.text()).toMatchInlineSnapshot(`
      "00:00  phase 1/11 validating the configuration
      00:00  phase 2/11 provisioning the lab
      00:03  phase 3/11 waiting until every target is healthy
      01:00    • instance i-1 launched (desired 0 → 1)
      01:10  phase 4/11 verifying load balancing
      01:11  phase 5/11 waiting out the first instance's warm-up
      06:11  phase 6/11 starting the CPU stress
      06:11  phase 7/11 watching for scale-out
      09:00    • alarm AlarmHigh: OK → ALARM
      10:00    • instance i-2 launched (desired 1 → 2)
      10:10  phase 8/11 waiting for the stress to end
      10:10    ✔ scale-out seen 3 min 59 s after the stress start
      "
    `);
  });

  it('on a terminal, keeps those lines and rewrites a status with the phase, the times and the group', () => {
    const out = sink(true);
    const view = new ProgressView(options(out, true));
    const { progress, events } = story();

    view.update(progress, events);
    const afterFirst = out.text();
    view.update({ ...progress, simulatedSeconds: 640, realSeconds: 32 }, events);
    view.finish();

    // Each lasting line on a line of its own.
    expect(afterFirst).toContain(
      '00:00  phase 1/11 validating the configuration\n00:00  phase 2/11 provisioning the lab\n',
    );
    expect(afterFirst).toContain('phase 8/11 waiting for the stress to end');
    expect(afterFirst).toContain('✔ scale-out seen 3 min 59 s after the stress start');
    expect(afterFirst).toMatch(/phase 8\/11 waiting for the stress to end ▕█+░*▏/);
    expect(afterFirst).toMatch(
      /sim 10:20 · real 00:31 · about \d\d:\d\d left · 2 in service, 2 healthy · CPU 41 %/,
    );
    // The second update rewrites the status in place (erasing lines) rather than appending it.
    const second = out.text().slice(afterFirst.length);
    expect(second).toContain('\u001b[');
    expect(second).toContain('sim 10:40 · real 00:32');
    expect(second).not.toContain('phase 3/11');
  });
});
