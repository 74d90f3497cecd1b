/**
 * The local EventBridge bus: rules with AWS event patterns, function targets, PutEvents with AWS's
 * result shape, and at-least-once asynchronous delivery with retries (see delivery.ts).
 */

import { arn } from '../arn.js';
import type { Clock } from '../clock.js';
import { DeliveryQueue, LOCAL_RETRY_POLICY, validateRetryPolicy } from './delivery.js';
import { EventBusClosedError, EventBusValidationError, RuleNotFoundError } from './errors.js';
import { type DeliveryFaults, FaultInjector, type FaultRecord } from './faults.js';
import { type CompiledPattern, compilePattern } from './pattern.js';
import { normaliseEntries, type PutEventsEntryInput } from './put-events.js';
import type {
  DeliveryFailure,
  EventBridgeEvent,
  LocalTarget,
  PutEventsResult,
  PutRuleInput,
  RetryPolicy,
} from './types.js';

export type * from './types.js';

/** AWS rule names: 1–64 characters from `.`, `-`, `_`, letters and digits. */
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** AWS target ids: 1–64 characters from `.`, `-`, `_`, letters and digits. */
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
/** AWS allows at most 5 targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;

export interface LocalEventBusOptions {
  clock: Clock;
  name?: string;
  retryPolicy?: Partial<RetryPolicy>;
  /** Told about deliveries that gave up and listeners that threw; defaults to a process warning. */
  onError?: (error: unknown, context: string) => void;
  /** Drop, duplicate, delay or reorder some events on their way to rule targets (see faults.ts). */
  faults?: DeliveryFaults;
}

interface RuleState {
  name: string;
  pattern: PutRuleInput['eventPattern'];
  matches: CompiledPattern;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  targets: Map<string, LocalTarget>;
}

/** A listener sees every event accepted by the bus, whether or not a rule matches it. */
export type BusListener = (event: EventBridgeEvent) => void;

export class LocalEventBus {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rules = new Map<string, RuleState>();
  private readonly listeners = new Set<BusListener>();
  private readonly failures: DeliveryFailure[] = [];
  private readonly deliveries: DeliveryQueue;
  private readonly onError: (error: unknown, context: string) => void;
  private readonly faults: FaultInjector | undefined;
  private closed = false;

  constructor(options: LocalEventBusOptions) {
    this.clock = options.clock;
    this.name = options.name ?? 'default';
    const policy = { ...LOCAL_RETRY_POLICY, ...options.retryPolicy };
    validateRetryPolicy(policy);
    this.onError = options.onError ?? defaultOnError;
    this.deliveries = new DeliveryQueue({
      clock: options.clock,
      policy,
      onFailure: (failure) => {
        this.failures.push(failure);
        this.onError(
          failure.error,
          `rule ${failure.ruleName} target ${failure.targetId} gave up (${failure.reason})`,
        );
      },
    });
    this.faults =
      options.faults &&
      new FaultInjector(options.faults, options.clock, (event) => this.deliverToRules(event));
  }

  /** The bus's ARN, as AWS would write it for the local account and region. */
  get arn(): string {
    return arn('events', `event-bus/${this.name}`);
  }

  /** Creates or replaces a rule; an existing rule keeps its targets, as with AWS's PutRule. */
  putRule(input: PutRuleInput): { RuleArn: string } {
    if (!RULE_NAME.test(input.name)) {
      throw new EventBusValidationError(`rule name ${JSON.stringify(input.name)} must match ${RULE_NAME}`);
    }
    const matches = compilePattern(input.eventPattern);
    const existing = this.rules.get(input.name);
    this.rules.set(input.name, {
      name: input.name,
      pattern: input.eventPattern,
      matches,
      state: input.state ?? 'ENABLED',
      description: input.description,
      targets: existing?.targets ?? new Map(),
    });
    return { RuleArn: this.ruleArn(input.name) };
  }

  /** Adds targets to a rule or replaces those with the same id. */
  putTargets(
    ruleName: string,
    targets: readonly LocalTarget[],
  ): { FailedEntryCount: number; FailedEntries: [] } {
    const rule = this.requireRule(ruleName);
    for (const target of targets) {
      if (!TARGET_ID.test(target.id)) {
        throw new EventBusValidationError(`target id ${JSON.stringify(target.id)} must match ${TARGET_ID}`);
      }
      if (typeof target.handler !== 'function') {
        throw new EventBusValidationError(`target ${target.id} needs a handler function`);
      }
    }
    const ids = new Set([...rule.targets.keys(), ...targets.map((t) => t.id)]);
    if (ids.size > MAX_TARGETS_PER_RULE) {
      throw new EventBusValidationError(
        `rule ${ruleName} would have ${ids.size} targets; AWS allows ${MAX_TARGETS_PER_RULE}`,
      );
    }
    for (const target of targets) rule.targets.set(target.id, target);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  removeTargets(ruleName: string, ids: readonly string[]): void {
    const rule = this.requireRule(ruleName);
    for (const id of ids) rule.targets.delete(id);
  }

  /** Deletes a rule and its targets (AWS's DeleteRule with Force, which CDK teardown amounts to). */
  removeRule(ruleName: string): void {
    this.requireRule(ruleName);
    this.rules.delete(ruleName);
  }

  listRules(): { Name: string; Arn: string; EventPattern: string; State: string; Targets: string[] }[] {
    return [...this.rules.values()].map((rule) => ({
      Name: rule.name,
      Arn: this.ruleArn(rule.name),
      EventPattern: typeof rule.pattern === 'string' ? rule.pattern : JSON.stringify(rule.pattern),
      State: rule.state,
      Targets: [...rule.targets.keys()],
    }));
  }

  /**
   * AWS's PutEvents: accepts request entries (`Source`, `DetailType`, `Detail` JSON…) or whole
   * envelopes; returns `{ FailedEntryCount, Entries }`. Delivery starts on a later tick.
   * @throws PutEventsValidationError for a bad request as a whole (empty, over 10 entries, over 256 KB).
   */
  putEvents(entries: readonly PutEventsEntryInput[]): PutEventsResult {
    if (this.closed) throw new EventBusClosedError(`event bus ${this.name} is closed`);
    const normalised = normaliseEntries(entries, () => this.clock.now());
    let failed = 0;
    const results = normalised.map((entry) => {
      if ('errorCode' in entry) {
        failed += 1;
        return { ErrorCode: entry.errorCode, ErrorMessage: entry.errorMessage };
      }
      this.route(entry.event);
      return { EventId: entry.event.id };
    });
    return { FailedEntryCount: failed, Entries: results };
  }

  /** Sees every accepted event (for `scalelab up`'s live log); returns an unsubscribe function. */
  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deliveries that gave up, oldest first (the local dead-letter queue). */
  deadLetters(): readonly DeliveryFailure[] {
    return this.failures;
  }

  /** What the fault injection did to which event, oldest first; empty without faults. */
  faultRecords(): readonly FaultRecord[] {
    return this.faults?.records ?? [];
  }

  /** Deliveries not yet done (waiting, in flight, or waiting for a retry). */
  get pendingDeliveries(): number {
    return this.deliveries.size;
  }

  /** Resolves when every delivery in flight, including retries and ones they cause, is done. */
  drain(): Promise<void> {
    return this.deliveries.drain();
  }

  /** Stops accepting events and cancels waiting retries; no timers are left behind. */
  close(): void {
    this.closed = true;
    this.faults?.close();
    this.deliveries.close();
    this.listeners.clear();
  }

  private route(event: EventBridgeEvent): void {
    for (const listener of this.listeners) {
      // A listener must not see the event inside putEvents' call stack, nor break delivery.
      setImmediate(() => {
        try {
          listener(structuredClone(event));
        } catch (error) {
          this.onError(error, 'bus listener threw');
        }
      });
    }
    if (this.faults) this.faults.route(event);
    else this.deliverToRules(event);
  }

  private deliverToRules(event: EventBridgeEvent): void {
    if (this.closed) return;
    for (const rule of this.rules.values()) {
      if (rule.state !== 'ENABLED' || !rule.matches(event)) continue;
      // Each target gets its own copy: one handler mutating the event must not affect another.
      for (const target of rule.targets.values())
        this.deliveries.enqueue(rule.name, target, structuredClone(event));
    }
  }

  private requireRule(ruleName: string): RuleState {
    const rule = this.rules.get(ruleName);
    if (!rule) throw new RuleNotFoundError(`Rule ${ruleName} does not exist on EventBus ${this.name}.`);
    return rule;
  }

  private ruleArn(ruleName: string): string {
    const path = this.name === 'default' ? ruleName : `${this.name}/${ruleName}`;
    return arn('events', `rule/${path}`);
  }
}

function defaultOnError(error: unknown, context: string): void {
  process.emitWarning(
    `${context}: ${error instanceof Error ? error.message : String(error)}`,
    'LocalEventBus',
  );
}
