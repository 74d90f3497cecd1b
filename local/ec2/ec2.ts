import type { ChildProcess } from 'node:child_process';
import { INSTANCE_TYPE_NAMES, instanceTypeFacts } from '../../lab/aws-facts.js';
import { newInstanceId } from '../../node-app/identity.js';
import type { AppName } from '../../node-app/instance-server.js';
import { type LoadedApp, loadApp } from '../../node-app/spawn-app.js';
import { writeHeldMs } from '../../node-app/stress/held-clock.js';
import type { Clock } from '../clock.js';
import { AddressPool } from './address-pool.js';
import {
  INSTANCE_BOOT_SECONDS,
  INSTANCE_PORT,
  LOCAL_VCPU_CORE_SHARE,
  TERMINATE_GRACE_MS,
} from './constants.js';
import { IncorrectInstanceState, InvalidInstanceIdNotFound, InvalidParameterValue } from './errors.js';
import type { Instance, InstanceStateChange, InstanceStateName } from './instance.js';
import {
  type CreateLaunchTemplateInput,
  type LaunchTemplate,
  type LaunchTemplateRef,
  LaunchTemplates,
} from './launch-templates.js';
import type { ProcessLedger } from './process-ledger.js';

export interface LocalEc2Options {
  clock: Clock;
  /** The 127.a.b block instances get addresses from (default 127.0.0). */
  subnet?: string;
  bootSeconds?: number;
  /** Where each instance process is noted, for the next owner of the state directory (process-ledger.ts). */
  ledger?: ProcessLedger;
}

export interface RunInstancesInput {
  app: AppName;
  /** One of INSTANCE_TYPES (lab/aws-facts.ts); the instance gets its vCPUs. */
  instanceType: string;
  count?: number;
  tags?: Record<string, string>;
  /** Create the instances stopped: the lab's resources exist at zero cost until provisioned. */
  stopped?: boolean;
}

interface Record_ {
  instance: Instance;
  /** For tests: its app answers 503 to everything, as one whose start failed. */
  failStart?: boolean;
  child?: ChildProcess;
  boot?: AbortController;
  /** Set while this module itself is ending the process, so the exit is not taken for a crash. */
  ending?: boolean;
  /**
   * The instance's process group (its app's pid): every process the instance ever started, stress
   * workers included. It outlives a crashed app, whose workers then run on as they would on the
   * EC2 instance, until the instance stops or terminates.
   */
  processGroup?: number;
}

type Listener = (change: InstanceStateChange) => void;

/**
 * The local EC2: each instance is a real process running the seed or serve app on its own
 * loopback address and port 5000. Processes are spawned in their own process group with a stdin
 * pipe, so terminating ends the app and every stress worker it started, and the apps exit by
 * themselves if this process dies, even by SIGKILL.
 */
export class LocalEc2 {
  private readonly records = new Map<string, Record_>();
  private readonly listeners = new Set<Listener>();
  private readonly addresses: AddressPool;
  private readonly templates: LaunchTemplates;
  private readonly bootSeconds: number;
  private heldClockFile: string | undefined;
  private failsStart: (input: RunInstancesInput) => boolean = () => false;
  private stopSharingHeldTime = (): void => undefined;

  constructor(private readonly options: LocalEc2Options) {
    this.addresses = new AddressPool(options.subnet, INSTANCE_PORT);
    this.bootSeconds = options.bootSeconds ?? INSTANCE_BOOT_SECONDS;
    this.templates = new LaunchTemplates(options.clock);
  }

  /**
   * From now on writes the clock's held time to `file` for the instances launched after this
   * (node-app/stress/held-clock.ts), so their stress ends on its simulated moment; without it a
   * stress ends early by whatever the clock holds meanwhile. Call it once this process owns the
   * folder the file is in: another process's instances may be reading it.
   */
  shareHeldTime(file: string): void {
    this.stopSharingHeldTime();
    writeHeldMs(file, this.options.clock.heldRealMs);
    this.heldClockFile = file;
    this.stopSharingHeldTime = this.options.clock.onHeld((heldMs) => writeHeldMs(file, heldMs));
  }

  /**
   * For tests: from now on, the app of each launch `fails` picks answers 503 to every request, as
   * one whose start failed behind a running server (`scalelab app --fail-start`).
   */
  failAppStarts(fails: (input: RunInstancesInput) => boolean): void {
    this.failsStart = fails;
  }

  onStateChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Launches instances: they are `pending` at once and `running` once their app listens (or
   * `stopped`). An instance type the lab does not know is refused, as EC2 refuses an unknown one.
   */
  async runInstances(input: RunInstancesInput): Promise<Instance[]> {
    const { app, instanceType, count = 1, tags = {}, stopped = false } = input;
    const type = instanceTypeFacts(instanceType);
    if (!type) {
      throw new InvalidParameterValue(
        `Invalid value '${instanceType}' for InstanceType. The local EC2 runs ${INSTANCE_TYPE_NAMES.join(', ')}`,
      );
    }
    const launched: Instance[] = [];
    for (let i = 0; i < count; i++) {
      const instance: Instance = {
        instanceId: newInstanceId(),
        app,
        privateIpAddress: await this.addresses.allocate(),
        state: stopped ? 'stopped' : 'pending',
        status: 'initializing',
        launchTime: this.options.clock.isoNow(),
        instanceType,
        vcpus: type.vcpus,
        hostCores: type.vcpus * LOCAL_VCPU_CORE_SHARE,
        tags: { ...tags },
      };
      const record: Record_ = { instance, failStart: this.failsStart(input) };
      this.records.set(instance.instanceId, record);
      launched.push({ ...instance });
      if (stopped) continue;
      // EC2 announces a launch as a state change to `pending`, from no state at all.
      this.announce(record, undefined);
      void this.boot(record);
    }
    return launched;
  }

  /** A launch template (one version) an Auto Scaling group can launch from. */
  createLaunchTemplate(input: CreateLaunchTemplateInput): LaunchTemplate {
    return this.templates.create(input);
  }

  /** Every launch template, in creation order. */
  describeLaunchTemplates(): LaunchTemplate[] {
    return this.templates.describe();
  }

  /** The launch template `ref` names; EC2's NotFound errors for an unknown one. */
  launchTemplate(ref: LaunchTemplateRef): LaunchTemplate {
    return this.templates.find(ref);
  }

  describeInstances(instanceIds?: readonly string[]): Instance[] {
    const records = instanceIds ? instanceIds.map((id) => this.get(id)) : [...this.records.values()];
    return records.map(({ instance }) => ({ ...instance, tags: { ...instance.tags } }));
  }

  /** Ends the instances' processes; resolves once every one is `terminated`. */
  async terminateInstances(instanceIds: readonly string[]): Promise<void> {
    const records = instanceIds.map((id) => this.get(id));
    await Promise.all(records.map((record) => this.terminate(record)));
  }

  /** Stops instances (their process ends; id and address are kept for a later start). */
  async stopInstances(instanceIds: readonly string[]): Promise<void> {
    const records = instanceIds.map((id) => this.get(id));
    for (const { instance } of records) {
      if (instance.state !== 'running' && instance.state !== 'pending' && instance.state !== 'stopped') {
        throw new IncorrectInstanceState(
          `instance ${instance.instanceId} is ${instance.state} and cannot be stopped`,
        );
      }
    }
    await Promise.all(
      records.map(async (record) => {
        if (record.instance.state === 'stopped') return;
        this.transition(record, 'stopping');
        await this.endProcess(record);
        // Best effort: if another process takes the address meanwhile, the next start fails visibly.
        await this.addresses.hold(record.instance.privateIpAddress);
        this.transition(record, 'stopped');
      }),
    );
  }

  /** Starts stopped instances again, on the same address. */
  async startInstances(instanceIds: readonly string[]): Promise<void> {
    const records = instanceIds.map((id) => this.get(id));
    for (const { instance } of records) {
      if (instance.state !== 'stopped' && instance.state !== 'running' && instance.state !== 'pending') {
        throw new IncorrectInstanceState(
          `instance ${instance.instanceId} is ${instance.state} and cannot be started`,
        );
      }
    }
    for (const record of records) {
      if (record.instance.state !== 'stopped') continue;
      record.instance.status = 'initializing';
      this.transition(record, 'pending');
      void this.boot(record);
    }
  }

  /** Terminates every instance this EC2 launched; nothing is left running. */
  async close(): Promise<void> {
    await Promise.all([...this.records.values()].map((record) => this.terminate(record)));
    this.listeners.clear();
    this.stopSharingHeldTime();
  }

  private get(instanceId: string): Record_ {
    const record = this.records.get(instanceId);
    if (!record) throw new InvalidInstanceIdNotFound(`The instance ID '${instanceId}' does not exist`);
    return record;
  }

  /**
   * Boots an instance: its app's process starts and loads at once, during the simulated boot, and
   * binds its address when the boot ends. A Node.js process takes a few hundred real ms to start,
   * which does not compress with the time scale: on EC2 that start is part of the boot and user
   * data the boot time stands for, so it is spent inside the boot. The boot lasts
   * `bootSeconds` of simulated time whatever the time scale: the clock is held while the spawn
   * itself blocks this process (tens of ms), and again from the end of the simulated boot until the
   * app listens, when its start takes longer than the boot's real length (time scales above about
   * 100). The address stays held (address-pool.ts) until the moment the app binds it.
   */
  private async boot(record: Record_): Promise<void> {
    const boot = new AbortController();
    record.boot = boot;
    const { instance } = record;
    const { clock } = this.options;
    const loading = heldWhile(clock, () => this.loadApp(instance, record.failStart === true));
    // Seen after the boot, or killed in the catch below; not an unhandled rejection meanwhile.
    loading.catch(() => undefined);
    try {
      await clock.sleep(this.bootSeconds, boot.signal);
      const app = await heldUntilSettled(clock, async () => {
        const loaded = await loading;
        await this.addresses.claim(instance.privateIpAddress);
        return loaded.listen();
      });
      if (boot.signal.aborted) {
        killGroup(app.pid, 'SIGKILL');
        return;
      }
      record.child = app.child;
      record.processGroup = app.pid;
      this.options.ledger?.record(app.pid);
      instance.pid = app.pid;
      instance.status = 'ok';
      app.child.once('exit', () => this.onProcessExit(record, app.child));
      this.transition(record, 'running');
    } catch (error) {
      // Stopped or terminated while booting, or the app could not start: no process stays behind.
      loading.then(({ child }) => killGroup(child.pid, 'SIGKILL')).catch(() => undefined);
      if (boot.signal.aborted) return;
      boot.abort();
      instance.stateReason = `Server.InternalError: ${(error as Error).message}`;
      await this.addresses.release(instance.privateIpAddress);
      this.transition(record, 'terminated');
    } finally {
      record.boot = undefined;
    }
  }

  /** Starts the instance's app, loaded but not bound, in its own process group (it ends with all it starts). */
  private loadApp(instance: Instance, failStart: boolean): Promise<LoadedApp> {
    return loadApp(
      [
        instance.app,
        '--host',
        instance.privateIpAddress,
        '--port',
        String(INSTANCE_PORT),
        '--instance-id',
        instance.instanceId,
        '--time-scale',
        String(this.options.clock.scale),
        '--cpu-share',
        String(LOCAL_VCPU_CORE_SHARE),
        '--exit-on-stdin-close',
        ...(this.heldClockFile === undefined ? [] : ['--held-clock', this.heldClockFile]),
        ...(failStart ? ['--fail-start'] : []),
      ],
      { detached: true },
    );
  }

  /** An app that dies on its own leaves a running but impaired instance, as a crashed EC2 app does. */
  private onProcessExit(record: Record_, child: ChildProcess): void {
    if (record.child !== child || record.ending) return;
    record.child = undefined;
    record.instance.pid = undefined;
    record.instance.status = 'impaired';
  }

  private async terminate(record: Record_): Promise<void> {
    const { state } = record.instance;
    if (state === 'terminated' || state === 'shutting-down') return;
    this.transition(record, 'shutting-down');
    await this.endProcess(record);
    await this.addresses.release(record.instance.privateIpAddress);
    this.transition(record, 'terminated');
  }

  private async endProcess(record: Record_): Promise<void> {
    record.boot?.abort();
    const child = record.child;
    record.child = undefined;
    record.instance.pid = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      record.ending = true;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), TERMINATE_GRACE_MS);
      await exited;
      clearTimeout(timer);
      record.ending = false;
    }
    // Whatever is left of the instance's processes, even after its app died on its own.
    await endGroup(record.processGroup);
    record.processGroup = undefined;
  }

  private transition(record: Record_, current: InstanceStateName): void {
    const previous = record.instance.state;
    if (previous === current) return;
    record.instance.state = current;
    this.announce(record, previous);
  }

  /** Tells every listener the instance is now in its current state. */
  private announce(record: Record_, previous: InstanceStateName | undefined): void {
    const change: InstanceStateChange = {
      instance: { ...record.instance, tags: { ...record.instance.tags } },
      previous,
      current: record.instance.state,
      time: this.options.clock.isoNow(),
    };
    for (const listener of this.listeners) listener(change);
  }
}

/** Signals the whole process group the app leads (the app and its stress workers). */
/** How often the end of a process group is looked for. */
const GROUP_POLL_MS = 20;

function killGroup(processGroup: number | undefined, signal: NodeJS.Signals): void {
  if (processGroup === undefined) return;
  try {
    process.kill(-processGroup, signal);
  } catch {
    // the group is already gone
  }
}

/** Kills what is left of a process group and resolves once none of it is alive (bounded). */
async function endGroup(processGroup: number | undefined): Promise<void> {
  if (processGroup === undefined) return;
  killGroup(processGroup, 'SIGKILL');
  const deadline = Date.now() + TERMINATE_GRACE_MS;
  while (groupAlive(processGroup) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
  }
}

/** Whether any process of the group still exists (signal 0 probes without signalling). */
function groupAlive(processGroup: number): boolean {
  try {
    process.kill(-processGroup, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `start`, whose synchronous part (a process spawn) blocks this process, with the clock held. */
function heldWhile<T>(clock: Clock, start: () => T): T {
  const release = clock.hold();
  try {
    return start();
  } finally {
    release();
  }
}

/** Holds the clock until `work` settles: real work the model says takes no simulated time. */
async function heldUntilSettled<T>(clock: Clock, work: () => Promise<T>): Promise<T> {
  const release = clock.hold();
  try {
    return await work();
  } finally {
    release();
  }
}
