import { describe, expect, it } from 'vitest';
import {
  applyCheck,
  type CheckOutcome,
  type HealthTrack,
  registeredTrack,
} from '../../local/elb/target-state.js';

const PASS: CheckOutcome = { ok: true };
const FAIL: CheckOutcome = { ok: false, reason: 'Target.Timeout', description: 'Request timed out' };
const settings = { healthyThresholdCount: 3, unhealthyThresholdCount: 2 };

function run(track: HealthTrack, outcomes: readonly CheckOutcome[]): string[] {
  const states: string[] = [];
  let current = track;
  for (const outcome of outcomes) {
    current = applyCheck(current, outcome, settings);
    states.push(current.health.state);
  }
  return states;
}

describe('target health state machine', () => {
  it('turns a new target healthy after one pass', () => {
    expect(run(registeredTrack(), [PASS])).toEqual(['healthy']);
  });

  it('keeps a new target initial until the unhealthy threshold of failures', () => {
    expect(run(registeredTrack(), [FAIL, FAIL])).toEqual(['initial', 'unhealthy']);
  });

  it('needs the unhealthy threshold of consecutive failures; a pass resets the count', () => {
    expect(run(registeredTrack(), [PASS, FAIL, PASS, FAIL, FAIL])).toEqual([
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'unhealthy',
    ]);
  });

  it('needs the healthy threshold of consecutive passes to recover; a failure resets the count', () => {
    expect(run(registeredTrack(), [FAIL, FAIL, PASS, PASS, FAIL, PASS, PASS, PASS])).toEqual([
      'initial',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'healthy',
    ]);
  });

  it('keeps the reason of the latest failure while unhealthy', () => {
    let track = trackAfter(registeredTrack(), [FAIL, FAIL]);
    track = applyCheck(
      track,
      {
        ok: false,
        reason: 'Target.ResponseCodeMismatch',
        description: 'Health checks failed with these codes: [404]',
      },
      settings,
    );
    expect(track.health).toEqual({
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: 'Health checks failed with these codes: [404]',
    });
  });
});

function trackAfter(track: HealthTrack, outcomes: readonly CheckOutcome[]): HealthTrack {
  return outcomes.reduce((current, outcome) => applyCheck(current, outcome, settings), track);
}
