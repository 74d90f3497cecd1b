/**
 * Fault injection for rule deliveries. AWS delivers some events best effort (Auto Scaling's among
 * them: see docs/aws-behaviour.md): an event may never reach a rule's targets, or reach them twice,
 * late, or out of order. A local bus that never loses anything would hide every workflow that
 * depends on one event; these faults make that visible, from a seed so a run can be repeated.
 */
import { AUTO_SCALING_EVENT_SOURCE } from '../../lab/aws-facts.js';
import type { Clock, ClockTimer } from '../clock.js';
import { EventBusValidationError } from './errors.js';
import { type CompiledPattern, compilePattern, type EventPattern } from './pattern.js';
import type { EventBridgeEvent } from './types.js';

/** Fractions (0–1) of the matching events each fault applies to, drawn independently per event. */
export interface DeliveryFaults {
  /** Never delivered to any rule's targets. */
  drop?: number;
  /** Delivered twice. */
  duplicate?: number;
  /** Delivered after a random delay of up to `maxDelaySeconds`. */
  delay?: number;
  /** Held back and delivered after the next matching event (or after `maxDelaySeconds`). */
  reorder?: number;
  /** Simulated seconds; default {@link DEFAULT_MAX_FAULT_DELAY_SECONDS}. */
  maxDelaySeconds?: number;
  /** The PRNG's seed: the same seed and the same events give the same faults. */
  seed?: number;
  /** Which events may suffer faults; default: Auto Scaling's (source `aws.autoscaling`). */
  pattern?: EventPattern;
}

/** What happened to one event, for the evidence. */
export interface FaultRecord {
  eventId: string;
  detailType: string;
  time: string;
  fault: 'dropped' | 'duplicated' | 'delayed' | 'reordered';
  /** For `delayed`: simulated seconds. */
  delaySeconds?: number;
}

/** Assumption: how late a delayed event may come; one alarm period, far below the observe steps' budgets. */
export const DEFAULT_MAX_FAULT_DELAY_SECONDS = 60;

const FAULT_NAMES = ['drop', 'duplicate', 'delay', 'reorder'] as const;
const AUTO_SCALING_EVENTS: EventPattern = { source: [AUTO_SCALING_EVENT_SOURCE] };

/** mulberry32: a tiny, fast, seedable PRNG; plenty for choosing which events to disturb. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Throws {@link EventBusValidationError} naming the first bad setting. */
export function validateFaults(faults: DeliveryFaults): void {
  for (const name of FAULT_NAMES) {
    const value = faults[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1)) {
      throw new EventBusValidationError(`fault ${name} must be a fraction from 0 to 1 (got ${value})`);
    }
  }
  const { maxDelaySeconds, seed } = faults;
  if (maxDelaySeconds !== undefined && !(Number.isFinite(maxDelaySeconds) && maxDelaySeconds > 0)) {
    throw new EventBusValidationError(`fault maxDelaySeconds must be above 0 (got ${maxDelaySeconds})`);
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new EventBusValidationError(`fault seed must be an integer (got ${seed})`);
  }
}

/**
 * Decides, per matching event, whether it is dropped, duplicated, delayed or reordered, and
 * delivers it through `deliver` accordingly. Events that do not match the pattern pass untouched.
 */
export class FaultInjector {
  private readonly random: () => number;
  private readonly matches: CompiledPattern;
  private readonly maxDelaySeconds: number;
  private readonly timers = new Set<ClockTimer>();
  private held: { event: EventBridgeEvent; timer: ClockTimer } | undefined;
  readonly records: FaultRecord[] = [];

  constructor(
    private readonly faults: DeliveryFaults,
    private readonly clock: Clock,
    private readonly deliver: (event: EventBridgeEvent) => void,
  ) {
    validateFaults(faults);
    this.random = seededRandom(faults.seed ?? 1);
    this.matches = compilePattern(faults.pattern ?? AUTO_SCALING_EVENTS);
    this.maxDelaySeconds = faults.maxDelaySeconds ?? DEFAULT_MAX_FAULT_DELAY_SECONDS;
  }

  /** Routes one event to `deliver`, maybe disturbed. */
  route(event: EventBridgeEvent): void {
    if (!this.matches(event)) {
      this.deliver(event);
      return;
    }
    // One draw per fault, always in the same order, so a seed replays the same decisions.
    const [drop, duplicate, delay, reorder] = FAULT_NAMES.map(() => this.random());
    const delaySeconds = this.random() * this.maxDelaySeconds;
    if (drop !== undefined && drop < (this.faults.drop ?? 0)) {
      this.record(event, 'dropped');
      return;
    }
    const copies = duplicate !== undefined && duplicate < (this.faults.duplicate ?? 0) ? 2 : 1;
    if (copies === 2) this.record(event, 'duplicated');
    for (let copy = 0; copy < copies; copy++) {
      if (reorder !== undefined && reorder < (this.faults.reorder ?? 0)) this.holdBack(event);
      else if (delay !== undefined && delay < (this.faults.delay ?? 0))
        this.deliverLater(event, delaySeconds);
      else this.deliverAfterHeld(event);
    }
  }

  /** Cancels every pending delayed or held delivery. */
  close(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.held?.timer.cancel();
    this.held = undefined;
  }

  private deliverAfterHeld(event: EventBridgeEvent): void {
    this.deliver(event);
    this.releaseHeld();
  }

  private holdBack(event: EventBridgeEvent): void {
    this.releaseHeld();
    this.record(event, 'reordered');
    const timer = this.clock.setTimeout(() => this.releaseHeld(), this.maxDelaySeconds);
    this.held = { event, timer };
  }

  private releaseHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    held.timer.cancel();
    this.deliver(held.event);
  }

  private deliverLater(event: EventBridgeEvent, delaySeconds: number): void {
    this.record(event, 'delayed', delaySeconds);
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.deliver(event);
    }, delaySeconds);
    this.timers.add(timer);
  }

  private record(event: EventBridgeEvent, fault: FaultRecord['fault'], delaySeconds?: number): void {
    this.records.push({
      eventId: event.id,
      detailType: event['detail-type'],
      time: event.time,
      fault,
      ...(delaySeconds === undefined ? {} : { delaySeconds: Math.round(delaySeconds * 10) / 10 }),
    });
  }
}
