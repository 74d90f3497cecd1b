import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIFECYCLE_TRANSITIONS } from '../../lab/aws-facts.js';
import type { HookSettings, LifecycleAction, LifecycleOutcome } from '../../local/autoscaling/index.js';
import { LifecycleActions } from '../../local/autoscaling/lifecycle-actions.js';
import { Clock } from '../../local/clock.js';

const LAUNCHING = LIFECYCLE_TRANSITIONS.launching;

function hook(name: string, fields: Partial<HookSettings> = {}): HookSettings {
  return { name, transition: LAUNCHING, heartbeatTimeout: 3600, defaultResult: 'ABANDON', ...fields };
}

// Fake timers and a fake performance.now: the simulated clock runs exactly as far as the test says.
let clock: Clock;
let actions: LifecycleActions;
let announced: LifecycleAction[];
let outcomes: LifecycleOutcome[];

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'],
  });
  clock = new Clock({ scale: 1 });
  announced = [];
  outcomes = [];
  actions = new LifecycleActions({ clock, onWait: (action) => announced.push(action) });
});

afterEach(() => {
  actions.closeAll();
  vi.useRealTimers();
});

function wait(hooks: HookSettings[]): void {
  actions.wait('i-0123456789abcdef0', LAUNCHING, hooks, (outcome) => outcomes.push(outcome));
}

function tokenOf(hookName: string): string {
  const action = announced.find((a) => a.hook.name === hookName);
  if (!action) throw new Error(`no action announced for ${hookName}`);
  return action.token;
}

describe('lifecycle actions of one instance', () => {
  it('ends CONTINUE only when every hook of the transition has continued', () => {
    wait([hook('first'), hook('second')]);
    expect(announced.map((a) => a.hook.name)).toEqual(['first', 'second']);

    actions.complete({ lifecycleHookName: 'first', lifecycleActionToken: tokenOf('first') }, 'CONTINUE');
    expect(outcomes).toEqual([]);
    actions.complete({ lifecycleHookName: 'second', instanceId: 'i-0123456789abcdef0' }, 'CONTINUE');

    expect(outcomes).toEqual([{ result: 'CONTINUE', end: 'completed', token: tokenOf('second') }]);
  });

  it('ends ABANDON at the first hook that abandons and closes the others', () => {
    wait([hook('first'), hook('second')]);

    actions.complete({ lifecycleHookName: 'second', lifecycleActionToken: tokenOf('second') }, 'ABANDON');

    expect(outcomes).toEqual([{ result: 'ABANDON', end: 'completed', token: tokenOf('second') }]);
    expect(() =>
      actions.complete({ lifecycleHookName: 'first', lifecycleActionToken: tokenOf('first') }, 'CONTINUE'),
    ).toThrow(`No active Lifecycle Action found with token ${tokenOf('first')}`);
  });

  it('applies the default result at the heartbeat timeout, counted from the last heartbeat', () => {
    wait([hook('h', { heartbeatTimeout: 30, defaultResult: 'CONTINUE' })]);
    vi.advanceTimersByTime(20_000);
    actions.heartbeat({ lifecycleHookName: 'h', lifecycleActionToken: tokenOf('h') });

    vi.advanceTimersByTime(29_999);
    expect(outcomes).toEqual([]);
    vi.advanceTimersByTime(1);

    expect(outcomes).toEqual([{ result: 'CONTINUE', end: 'heartbeat-timeout', token: tokenOf('h') }]);
  });

  it('applies the default result at the global timeout, 100 heartbeat timeouts, however many heartbeats', () => {
    wait([hook('h', { heartbeatTimeout: 30 })]);
    const ref = { lifecycleHookName: 'h', lifecycleActionToken: tokenOf('h') };

    for (let elapsed = 20_000; elapsed <= 2_980_000; elapsed += 20_000) {
      vi.advanceTimersByTime(20_000);
      actions.heartbeat(ref);
    }
    // 3000 s after the wait began, 20 s after the last heartbeat: the global timeout, not a heartbeat one
    vi.advanceTimersByTime(19_999);
    expect(outcomes).toEqual([]);
    vi.advanceTimersByTime(1);

    expect(outcomes).toEqual([{ result: 'ABANDON', end: 'global-timeout', token: tokenOf('h') }]);
  });
});
