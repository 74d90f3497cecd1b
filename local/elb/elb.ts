/**
 * The local ELBv2 service: the API surface, named after ELBv2's operations, over real load
 * balancers (HTTP reverse proxies on loopback) and target groups with active health checks.
 */
import type { Clock } from '../clock.js';
import {
  DuplicateListenerException,
  DuplicateLoadBalancerNameException,
  DuplicateTargetGroupNameException,
  ElbClosedError,
  LoadBalancerNotFoundException,
  TargetGroupAssociationLimitException,
  TargetGroupNotFoundException,
  ValidationError,
} from './errors.js';
import { HealthChecker } from './health-checker.js';
import { LoadBalancer } from './load-balancer.js';
import { ElbMetrics, type MetricSink } from './metrics.js';
import { TargetGroup, type TargetRecord, targetKey } from './target-group.js';
import { REASON_DESCRIPTIONS } from './target-state.js';
import type {
  CreateLoadBalancerProps,
  CreateTargetGroupProps,
  TargetDescription,
  TargetGroupConfig,
  TargetHealth,
  TargetHealthChange,
  TargetHealthDescription,
  TargetRegistration,
} from './types.js';
import { validateLoadBalancerProps, validateTargetGroupProps, validateTargets } from './validate.js';

export interface LocalElbOptions {
  clock: Clock;
  /** Where an exception thrown by an `onTargetHealthChange` listener goes; default `console.error`. */
  onListenerError?: (error: unknown) => void;
  /** Where the load balancers' CloudWatch metrics go (metrics.ts); none published without it. */
  metrics?: MetricSink;
}

/** What callers hold for a target group: its ARN and validated configuration. */
export interface TargetGroupRef {
  readonly arn: string;
  readonly config: TargetGroupConfig;
}

/** What callers hold for a load balancer. */
export interface LoadBalancerRef {
  readonly arn: string;
  readonly name: string;
  readonly dnsName: string;
  readonly url: string;
  readonly port: number;
}

/** A load balancer as DescribeLoadBalancers sees it. */
export interface LoadBalancerDescription extends LoadBalancerRef {
  /** Simulated epoch ms when it started. */
  readonly createdAt: number;
}

/** A target group as DescribeTargetGroups sees it. */
export interface TargetGroupDescription extends TargetGroupRef {
  readonly loadBalancerArns: readonly string[];
}

export interface ListenerRef {
  readonly listenerArn: string;
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  readonly port: number;
}

type HealthChangeListener = (change: TargetHealthChange) => void;

export class LocalElb {
  private readonly clock: Clock;
  private readonly onListenerError: (error: unknown) => void;
  private readonly loadBalancers = new Map<string, LoadBalancer>();
  private readonly groups = new Map<string, { group: TargetGroup; checker: HealthChecker }>();
  private readonly listeners = new Set<HealthChangeListener>();
  /** Pending {@link whenDeregistered} promises, settled by close so no caller waits forever. */
  private readonly waiters = new Set<() => void>();
  private readonly metrics: ElbMetrics | undefined;
  private closed = false;

  constructor(options: LocalElbOptions) {
    this.clock = options.clock;
    this.onListenerError = options.onListenerError ?? ((error) => console.error(error));
    this.metrics =
      options.metrics && new ElbMetrics(this.clock, options.metrics, () => this.loadBalancers.values());
  }

  /** Starts a load balancer listening on loopback; it answers 503 until {@link createListener}. */
  async createLoadBalancer(props: CreateLoadBalancerProps): Promise<LoadBalancerRef> {
    this.assertOpen();
    const valid = validateLoadBalancerProps(props);
    if ([...this.loadBalancers.values()].some((lb) => lb.name === valid.name)) {
      throw new DuplicateLoadBalancerNameException(
        `A load balancer with the name '${valid.name}' already exists`,
      );
    }
    const balancer = await LoadBalancer.start(this.clock, valid);
    if (this.closed) {
      await balancer.close();
      throw new ElbClosedError('The local ELB service was closed while the load balancer started');
    }
    this.loadBalancers.set(balancer.arn, balancer);
    return balancer;
  }

  /** Creates a target group with AWS's defaults for whatever is not given, validated against AWS's ranges. */
  createTargetGroup(props: CreateTargetGroupProps): TargetGroupRef {
    this.assertOpen();
    const config = validateTargetGroupProps(props);
    if ([...this.groups.values()].some(({ group }) => group.config.name === config.name)) {
      throw new DuplicateTargetGroupNameException(
        `A target group with the name '${config.name}' already exists`,
      );
    }
    const group: TargetGroup = new TargetGroup(config, (record, previous, current) =>
      this.emitHealthChange(group, record, previous, current),
    );
    this.groups.set(group.arn, { group, checker: new HealthChecker(this.clock, group) });
    return group;
  }

  /** Adds the forwarding listener (the lab's port 80) from the load balancer to the target group. */
  createListener(loadBalancer: LoadBalancerRef | string, targetGroup: TargetGroupRef | string): ListenerRef {
    this.assertOpen();
    const balancer = this.balancer(loadBalancer);
    const { group, checker } = this.group(targetGroup);
    if (balancer.listenerArn !== undefined) {
      throw new DuplicateListenerException(`Load balancer '${balancer.name}' already has a listener`);
    }
    if (group.loadBalancerArn !== undefined && group.loadBalancerArn !== balancer.arn) {
      throw new TargetGroupAssociationLimitException(
        `Target group '${group.config.name}' is already associated with another load balancer`,
      );
    }
    const wasUnused = !group.inUse;
    balancer.listenerArn = `${balancer.arn.replace(':loadbalancer/', ':listener/')}/${balancer.port}`;
    balancer.targetGroup = group;
    group.loadBalancerArn = balancer.arn;
    if (wasUnused) checker.startAll();
    return {
      listenerArn: balancer.listenerArn,
      loadBalancerArn: balancer.arn,
      targetGroupArn: group.arn,
      port: balancer.port,
    };
  }

  /** Registers targets (state `initial`; health checks start at once when the group is in use). */
  registerTargets(targetGroup: TargetGroupRef | string, targets: readonly TargetRegistration[]): void {
    this.assertOpen();
    const { group, checker } = this.group(targetGroup);
    for (const target of validateTargets(targets, group.config.port)) {
      const record = group.register(target.id, target.ip, target.port);
      if (record) checker.start(record);
    }
  }

  /**
   * Deregisters targets: they get no new requests, in-flight ones may finish during the
   * deregistration delay, after which they are cut and the target is removed (`unused`).
   */
  deregisterTargets(
    targetGroup: TargetGroupRef | string,
    targets: readonly { id: string; port?: number }[],
  ): void {
    this.assertOpen();
    const { group, checker } = this.group(targetGroup);
    for (const target of targets) {
      const record = group.targets.get(targetKey(target.id, target.port ?? group.config.port));
      if (record === undefined || record.track.health.state === 'draining') continue;
      checker.stop(record);
      const delay = group.inUse ? group.config.deregistrationDelaySeconds : 0;
      if (delay === 0) {
        this.finishDraining(group, record);
        continue;
      }
      group.setTrack(record, {
        health: {
          state: 'draining',
          reason: 'Target.DeregistrationInProgress',
          description: REASON_DESCRIPTIONS['Target.DeregistrationInProgress'],
        },
        consecutivePasses: 0,
        consecutiveFailures: 0,
      });
      record.drainTimer = this.clock.setTimeout(() => this.finishDraining(group, record), delay);
    }
  }

  /** Every load balancer, in creation order (what DescribeLoadBalancers lists). */
  describeLoadBalancers(): LoadBalancerDescription[] {
    return [...this.loadBalancers.values()].map((balancer) => ({
      arn: balancer.arn,
      name: balancer.name,
      dnsName: balancer.dnsName,
      url: balancer.url,
      port: balancer.port,
      createdAt: balancer.createdAt,
    }));
  }

  /** Every listener (at most one per load balancer), in its load balancer's creation order. */
  describeListeners(): ListenerRef[] {
    return [...this.loadBalancers.values()].flatMap((balancer) =>
      balancer.listenerArn === undefined || balancer.targetGroup === undefined
        ? []
        : [
            {
              listenerArn: balancer.listenerArn,
              loadBalancerArn: balancer.arn,
              targetGroupArn: balancer.targetGroup.arn,
              port: balancer.port,
            },
          ],
    );
  }

  /** Every target group, in creation order, with the load balancer whose listener uses it. */
  describeTargetGroups(): TargetGroupDescription[] {
    return [...this.groups.values()].map(({ group }) => ({
      arn: group.arn,
      config: group.config,
      loadBalancerArns: group.loadBalancerArn === undefined ? [] : [group.loadBalancerArn],
    }));
  }

  /**
   * As ELBv2's DescribeTargetHealth: every registered or draining target, or only the given
   * targets (those not registered show `unused` / `Target.NotRegistered`).
   */
  describeTargetHealth(
    targetGroup: TargetGroupRef | string,
    targets?: readonly { id: string; port?: number }[],
  ): TargetHealthDescription[] {
    const { group } = this.group(targetGroup);
    if (targets === undefined) return group.describe();
    return targets.map((target) => {
      const port = target.port ?? group.config.port;
      const record = group.targets.get(targetKey(target.id, port));
      const targetHealth: TargetHealth = record
        ? { ...group.healthOf(record) }
        : {
            state: 'unused',
            reason: 'Target.NotRegistered',
            description: REASON_DESCRIPTIONS['Target.NotRegistered'],
          };
      return { target: { id: target.id, port }, healthCheckPort: String(port), targetHealth };
    });
  }

  /**
   * Resolves once the target is no longer registered: at once if it is not, otherwise when its
   * deregistration delay has run out (what Auto Scaling waits for before terminating an instance).
   */
  whenDeregistered(
    targetGroup: TargetGroupRef | string,
    target: { id: string; port?: number },
  ): Promise<void> {
    const { group } = this.group(targetGroup);
    const port = target.port ?? group.config.port;
    if (!group.targets.has(targetKey(target.id, port))) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        unsubscribe();
        this.waiters.delete(finish);
        resolve();
      };
      const unsubscribe = this.onTargetHealthChange((change) => {
        const same =
          change.targetGroupArn === group.arn &&
          change.target.id === target.id &&
          change.target.port === port;
        if (same && change.current.reason === 'Target.NotRegistered') finish();
      });
      this.waiters.add(finish);
    });
  }

  /** Requests forwarded to each target id since the group was created (kept after deregistration). */
  getRequestCounts(targetGroup: TargetGroupRef | string): Record<string, number> {
    return Object.fromEntries(this.group(targetGroup).group.requestCounts);
  }

  /** Requests being forwarded right now to each registered target id. */
  getInFlightCounts(targetGroup: TargetGroupRef | string): Record<string, number> {
    const { group } = this.group(targetGroup);
    return Object.fromEntries([...group.targets.values()].map((record) => [record.id, record.inFlight.size]));
  }

  /** Calls `listener` on every change of a target's state or reason; returns the unsubscribe function. */
  onTargetHealthChange(listener: HealthChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops a load balancer and removes its listener; its target group becomes unused. */
  async deleteLoadBalancer(loadBalancer: LoadBalancerRef | string): Promise<void> {
    const balancer = this.balancer(loadBalancer);
    this.loadBalancers.delete(balancer.arn);
    const entry = balancer.targetGroup ? this.groups.get(balancer.targetGroup.arn) : undefined;
    if (entry) {
      entry.group.loadBalancerArn = undefined;
      for (const record of entry.group.targets.values()) entry.checker.stop(record);
    }
    await balancer.close();
  }

  /** Deletes a target group that no listener uses; its targets are dropped without draining. */
  deleteTargetGroup(targetGroup: TargetGroupRef | string): void {
    const { group, checker } = this.group(targetGroup);
    if (group.inUse) {
      throw new ValidationError(`Target group '${group.config.name}' is in use by a listener`);
    }
    checker.close();
    for (const record of [...group.targets.values()]) group.remove(record);
    this.groups.delete(group.arn);
  }

  /** Ends every server, socket and timer; later calls throw {@link ElbClosedError}. */
  async close(): Promise<void> {
    this.closed = true;
    this.metrics?.stop();
    for (const { group, checker } of this.groups.values()) {
      checker.close();
      for (const record of group.targets.values()) record.drainTimer?.cancel();
    }
    const balancers = [...this.loadBalancers.values()];
    this.loadBalancers.clear();
    for (const finish of [...this.waiters]) finish();
    this.listeners.clear();
    await Promise.all(balancers.map((balancer) => balancer.close()));
  }

  private finishDraining(group: TargetGroup, record: TargetRecord): void {
    // Past the delay the ALB closes what is left; clients of cut requests see the connection end.
    for (const request of record.inFlight.toArray()) request.cut();
    group.remove(record);
  }

  private emitHealthChange(
    group: TargetGroup,
    record: TargetRecord,
    previous: TargetHealth,
    current: TargetHealth,
  ): void {
    const target: TargetDescription = { id: record.id, port: record.port };
    const change: TargetHealthChange = {
      targetGroupArn: group.arn,
      targetGroupName: group.config.name,
      target,
      previous: { ...previous },
      current: { ...current },
      time: this.clock.isoNow(),
    };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  private balancer(ref: LoadBalancerRef | string): LoadBalancer {
    const arn = typeof ref === 'string' ? ref : ref.arn;
    const balancer = this.loadBalancers.get(arn);
    if (balancer === undefined) throw new LoadBalancerNotFoundException(`Load balancer '${arn}' not found`);
    return balancer;
  }

  private group(ref: TargetGroupRef | string): { group: TargetGroup; checker: HealthChecker } {
    const arn = typeof ref === 'string' ? ref : ref.arn;
    const entry = this.groups.get(arn);
    if (entry === undefined) throw new TargetGroupNotFoundException(`Target group '${arn}' not found`);
    return entry;
  }

  private assertOpen(): void {
    if (this.closed) throw new ElbClosedError('The local ELB service is closed');
  }
}
