/**
 * An in-memory Cloud for handler and workflow tests: a group, two target groups, section-1
 * instances, an observer store, events, and task responses forwarded to a callback (the local
 * Step Functions in workflow tests). Tests change its state to play the part of AWS.
 */

import { randomUUID } from 'node:crypto';
import type {
  ArmedObserver,
  Cloud,
  CompleteLifecycleActionInput,
  ExecutionInfo,
  GroupInstance,
  GroupSize,
  InstanceMoment,
  InstanceTimeline,
  LabClaim,
  LabEvent,
  LabHolder,
  LifecycleActionOutcome,
  LoadBalancerName,
  ObserverRef,
  Section1Instance,
  TargetHealth,
  TaskResponseOutcome,
} from '../../lambdas/cloud/cloud.js';
import { Clock } from '../../local/clock.js';
import { InstanceMomentStore } from '../../local-lab/instance-moment-store.js';
import { LabGuardStore } from '../../local-lab/lab-guard-store.js';
import { ObserverStore } from '../../local-lab/observer-store.js';

export type TaskResponse =
  | { kind: 'success'; token: string; output: unknown }
  | { kind: 'failure'; token: string; error: string; cause: string }
  | { kind: 'heartbeat'; token: string };

export interface FakeCloudOptions {
  clock?: Clock;
  /** Receives task responses; returns 'task-closed' for a closed task. Default: records and 'sent'. */
  respond?: (response: TaskResponse) => Promise<TaskResponseOutcome> | TaskResponseOutcome;
}

/** A lifecycle action the fake holds an instance in, as Auto Scaling would. */
export interface FakeLifecycleAction {
  groupName: string;
  hookName: string;
  instanceId: string;
  token: string;
  /** The result it was completed with; undefined while it waits. */
  result?: string;
}

export class FakeCloud implements Cloud {
  readonly clock: Clock;
  section1: Section1Instance[] = [
    { instanceId: 'i-web-1', state: 'stopped' },
    { instanceId: 'i-web-2', state: 'stopped' },
  ];
  group: GroupSize & { instances: GroupInstance[] } = {
    minSize: 0,
    maxSize: 3,
    desiredCapacity: 0,
    instances: [],
  };
  targets: Record<LoadBalancerName, TargetHealth[]> = { web: [], scaling: [] };
  /** Section-1 targets turn healthy when started unless this is false. */
  webBecomesHealthy = true;
  /** Group instances launched by updateGroupSize are in service and healthy at once unless false. */
  launchesHealthy = true;
  observers = new ObserverStore();
  guard = new LabGuardStore();
  /** DescribeExecution's answers by execution ARN (default RUNNING). */
  executionStatuses = new Map<string, ExecutionInfo>();
  events: LabEvent[] = [];
  responses: TaskResponse[] = [];
  /** Lifecycle actions, waiting or completed (see {@link FakeCloud.holdInLifecycleAction}). */
  lifecycleActions: FakeLifecycleAction[] = [];
  moments = new InstanceMomentStore();
  /** Epoch ms at which a draining scaling target leaves the target group. */
  private readonly drainEnds = new Map<string, number>();
  calls: string[] = [];
  private nextInstance = 1;

  constructor(private readonly options: FakeCloudOptions = {}) {
    this.clock = options.clock ?? new Clock({ scale: 1000 });
  }

  now(): number {
    return this.clock.now();
  }

  sleep(seconds: number): Promise<void> {
    return this.clock.sleep(seconds);
  }

  async startSection1Instances(): Promise<Section1Instance[]> {
    this.calls.push('startSection1Instances');
    for (const instance of this.section1) instance.state = 'running';
    this.targets.web = this.section1.map((i) => ({
      targetId: i.instanceId,
      port: 5000,
      state: this.webBecomesHealthy ? 'healthy' : 'initial',
    }));
    return this.section1.map((i) => ({ ...i }));
  }

  async stopSection1Instances(): Promise<void> {
    this.calls.push('stopSection1Instances');
    for (const instance of this.section1) instance.state = 'stopped';
    this.targets.web = [];
  }

  async describeSection1Instances(): Promise<Section1Instance[]> {
    return this.section1.map((i) => ({ ...i }));
  }

  async updateGroupSize(size: GroupSize): Promise<void> {
    this.calls.push(`updateGroupSize ${size.minSize}/${size.maxSize}/${size.desiredCapacity}`);
    Object.assign(this.group, size);
    while (this.present().length < size.desiredCapacity) this.launch(this.launchesHealthy);
    while (this.present().length > size.desiredCapacity) this.terminate();
  }

  /** Adds an in-service instance to the group (healthy in the scaling target group if asked). */
  launch(healthy: boolean): string {
    const instanceId = `i-scale-${this.nextInstance++}`;
    this.group.instances.push({ instanceId, lifecycleState: 'InService', healthStatus: 'Healthy' });
    this.targets.scaling.push({ targetId: instanceId, port: 5000, state: healthy ? 'healthy' : 'initial' });
    this.group.desiredCapacity = Math.max(this.group.desiredCapacity, this.present().length);
    return instanceId;
  }

  /** Terminates the newest instance. */
  terminate(): string | undefined {
    const victim = this.present().at(-1);
    if (!victim) return undefined;
    victim.lifecycleState = 'Terminated';
    this.targets.scaling = this.targets.scaling.filter((t) => t.targetId !== victim.instanceId);
    this.group.desiredCapacity = Math.min(this.group.desiredCapacity, this.present().length);
    return victim.instanceId;
  }

  present(): GroupInstance[] {
    return this.group.instances.filter((i) => i.lifecycleState !== 'Terminated');
  }

  async describeGroup() {
    return {
      name: 'scalelab-serve',
      minSize: this.group.minSize,
      maxSize: this.group.maxSize,
      desiredCapacity: this.group.desiredCapacity,
      instances: this.group.instances.map((i) => ({ ...i })),
    };
  }

  async describeTargetHealth(name: LoadBalancerName): Promise<TargetHealth[]> {
    const now = this.now();
    this.targets.scaling = this.targets.scaling.filter(
      (t) => (this.drainEnds.get(t.targetId) ?? now + 1) > now,
    );
    return this.targets[name].map((t) => ({ ...t }));
  }

  /** Puts a scaling target in `draining` for `seconds` of simulated time, after which it is gone. */
  drain(instanceId: string, seconds: number): void {
    const target = this.targets.scaling.find((t) => t.targetId === instanceId);
    if (!target) throw new Error(`FakeCloud.drain: ${instanceId} is no scaling target`);
    target.state = 'draining';
    target.reason = 'Target.DeregistrationInProgress';
    this.drainEnds.set(instanceId, this.now() + seconds * 1000);
  }

  /** Holds `instanceId` in a lifecycle action of hook `hookName`; returns its token. */
  holdInLifecycleAction(instanceId: string, hookName: string, groupName = 'scalelab-serve'): string {
    const token = randomUUID();
    this.lifecycleActions.push({ groupName, hookName, instanceId, token });
    return token;
  }

  async loadBalancerUrl(name: LoadBalancerName): Promise<string> {
    return `http://${name}.lb.test`;
  }

  async getGroupCpu(): Promise<number | undefined> {
    return undefined;
  }

  async putEvents(events: LabEvent[]): Promise<void> {
    this.events.push(...events);
  }

  private async respond(response: TaskResponse): Promise<TaskResponseOutcome> {
    this.responses.push(response);
    return this.options.respond ? this.options.respond(response) : 'sent';
  }

  sendTaskSuccess(token: string, output: unknown): Promise<TaskResponseOutcome> {
    return this.respond({ kind: 'success', token, output });
  }

  sendTaskFailure(token: string, error: string, cause: string): Promise<TaskResponseOutcome> {
    return this.respond({ kind: 'failure', token, error, cause });
  }

  sendTaskHeartbeat(token: string): Promise<TaskResponseOutcome> {
    return this.respond({ kind: 'heartbeat', token });
  }

  async armObserver(observer: ArmedObserver): Promise<{ rearmed: boolean }> {
    return this.observers.arm(observer);
  }

  async getArmedObservers(): Promise<ArmedObserver[]> {
    return this.observers.list();
  }

  async disarm(observer: ObserverRef): Promise<void> {
    this.observers.disarm(observer);
  }

  async claimLab(holder: LabHolder): Promise<LabClaim> {
    return this.guard.claim(holder);
  }

  async takeOverLab(stale: LabHolder, holder: LabHolder): Promise<boolean> {
    return this.guard.takeOver(stale, holder);
  }

  async labHolder(): Promise<LabHolder | undefined> {
    return this.guard.current();
  }

  async releaseLab(executionId: string): Promise<boolean> {
    return this.guard.release(executionId);
  }

  /** Completes the waiting action that matches every field given, as Auto Scaling does. */
  async completeLifecycleAction(input: CompleteLifecycleActionInput): Promise<LifecycleActionOutcome> {
    this.calls.push(
      `completeLifecycleAction ${input.hookName} ${input.instanceId ?? input.token} ${input.result}`,
    );
    const action = this.lifecycleActions.find(
      (a) =>
        a.result === undefined &&
        a.groupName === input.groupName &&
        a.hookName === input.hookName &&
        (input.token === undefined || a.token === input.token) &&
        (input.instanceId === undefined || a.instanceId === input.instanceId),
    );
    if (!action) return 'not-waiting';
    action.result = input.result;
    return 'completed';
  }

  async recordInstanceMoment(instanceId: string, moment: InstanceMoment, at: number): Promise<void> {
    this.moments.record(instanceId, moment, at);
  }

  async getInstanceTimelines(): Promise<InstanceTimeline[]> {
    return this.moments.timelines();
  }

  /** Unknown executions read as RUNNING, as a claimed one usually is; tests set others. */
  async executionStatus(executionId: string): Promise<ExecutionInfo> {
    return this.executionStatuses.get(executionId) ?? { status: 'RUNNING' };
  }
}

/**
 * A fetch standing in for the two load balancers: "web" round-robins over two seed apps that
 * each hold their own seed; "scaling" accepts a stress POST with 202.
 */
export function fakeLoadBalancers(options: { webStatus?: number } = {}) {
  const seeds = new Map([
    ['i-web-1', 0],
    ['i-web-2', 0],
  ]);
  const ids = [...seeds.keys()];
  let next = 0;
  const stressPosts: unknown[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    if (url.hostname === 'scaling.lb.test') {
      stressPosts.push(JSON.parse(String(init?.body ?? '{}')));
      return new Response('{"id":"s-1"}', { status: 202, headers: { 'x-instance-id': 'i-scale-1' } });
    }
    const id = ids[next++ % ids.length] ?? '';
    if (options.webStatus && options.webStatus !== 200) {
      return new Response('Bad Gateway', { status: options.webStatus });
    }
    if (method === 'POST') seeds.set(id, (JSON.parse(String(init?.body)) as { num: number }).num);
    return new Response(String(seeds.get(id)), { status: 200, headers: { 'x-instance-id': id } });
  };
  return { fetch: fetchImpl as typeof fetch, seeds, stressPosts };
}
