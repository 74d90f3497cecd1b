import type { DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import type { LabConfig } from '../../lab/config.js';
import { LAB_EVENT_SOURCE, PHASE_EVENT_TYPE, VERDICT_EVENT_TYPE } from '../../lab/events.js';
import { notifyEventPattern } from '../../lambdas/notify/event/pattern.js';
import { type LocalNotifyTarget, localNotifyTarget } from '../../lambdas/notify/local-target.js';
import { localRunFolderLink } from '../../lambdas/notify/message/evidence-link.js';
import type { VerdictOutput } from '../../lambdas/verdict/core.js';
import type { ApiServer } from '../../local/api/index.js';
import type { DeliveryFaults, EventBridgeEvent } from '../../local/eventbridge/index.js';
import { LocalAws } from '../../local/local-aws.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import type { LocalCloud } from '../local-cloud.js';
import type { LocalLab } from '../resources.js';
import { faithfulTimeScale, type TimeScaleChoice } from './faithful-time-scale.js';
import { HostCpuMonitor } from './host-cpu.js';
import { type HandlerAdapter, type LabSetup, setUpLocalLab } from './lab-setup.js';
import { LagMonitor } from './lag.js';
import { observationsOf } from './observations.js';
import {
  fillOrphanedRunFolders,
  instanceLedger,
  rememberRunFolder,
  takeChargeOfInstances,
} from './orphaned-runs.js';
import { INTERRUPTED_ERROR, type LabSummary, phaseTimeline, runHistory } from './run-folder.js';

export interface LabRunOptions {
  config: LabConfig;
  /** Where the local Step Functions keeps execution records and histories. */
  stateDir: string;
  /** Execution name; a readable, unique one by default. */
  name?: string;
  /** Where the handlers' structured log lines go (they would clutter the progress view). */
  log: (line: string) => void;
  /** The 127.a.b block instance addresses come from. */
  subnet?: string;
  /** Drop, duplicate, delay or reorder Auto Scaling events (AWS delivers them best effort). */
  eventFaults?: DeliveryFaults;
  /** For tests: the apps the section-2 group launches after its first fail their start (answer 503). */
  failScaleOutApps?: boolean;
  /** The run folder this run writes, noted so that a later start can fill it in if this process is killed. */
  runFolder?: string;
  /** Slack notifications: to the webhook when there is one, else appended to `outboxFile`. */
  notifications?: { outboxFile: string; webhookUrl?: string; runsDir: string };
  /** The handlers' Cloud port: the local one (default), or the aws adapter through the local endpoint. */
  adapter?: HandlerAdapter;
}

/** How long closing waits for queued Slack messages: a dead webhook costs the run at most this. */
const NOTIFY_CLOSE_GRACE_MS = 500;

/** When each phase began, in simulated and real time. */
export interface PhaseMark {
  phase: string;
  simulatedAt: string;
  realMs: number;
}

/** A live picture for the progress view. */
export interface LabProgress {
  /** The phases entered so far, from the execution history (the last is the current one). */
  phases: LabSummary['phases'];
  /** The observe steps that have ended. */
  observations: LabSummary['observations'];
  /** Simulated and real seconds since the run started. */
  simulatedSeconds: number;
  realSeconds: number;
  inService: number;
  healthy: number;
  cpu: number | undefined;
  target: number;
}

/**
 * The Slack notifier as a target of the local bus, as the notify Lambda is on AWS. Its handler only
 * queues, so delivery never runs on the lab's path. Added before the execution starts so the
 * RUNNING event is caught.
 */
function startNotifier(
  cloud: LocalAws,
  config: LabConfig,
  stateMachineArn: string,
  options: NonNullable<LabRunOptions['notifications']>,
  log: (line: string) => void,
): LocalNotifyTarget {
  const notifier = localNotifyTarget({
    webhookUrl: options.webhookUrl,
    outboxFile: options.outboxFile,
    evidenceLink: localRunFolderLink(options.runsDir),
    log,
  });
  const pattern = notifyEventPattern({
    stateMachineArn,
    autoScalingGroupName: config.section2.autoScalingGroupName,
  });
  cloud.bus.putRule({ name: 'lab-notify', eventPattern: pattern });
  cloud.bus.putTargets('lab-notify', [{ id: notifier.id, handler: (event) => notifier.handler(event) }]);
  return notifier;
}

/** A readable, unique execution name: lab-<UTC date>-<time>-<4 hex>. */
export function defaultExecutionName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `lab-${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

/**
 * One run of the lab in the local cloud: the local cloud with the lab's resources at zero cost,
 * the local Step Functions running state-machines/lab-lifecycle.asl.json through the same
 * handlers as on AWS, and the bus rule that feeds Auto Scaling events to the observer.
 */
export class LabRun {
  readonly phases: PhaseMark[] = [];
  readonly events: EventBridgeEvent[] = [];
  /** Real epoch milliseconds at which each event (same index) reached the run. */
  readonly eventArrivals: number[] = [];
  verdict: VerdictOutput | undefined;
  /** performance.now() when the run started; event arrivals and phases count from here. */
  readonly startedAt = performance.now();
  /** Simulated epoch ms when the run started. */
  readonly simulatedStart: number;
  /** How far real time fell behind the simulated schedule (summary.json `lag`). */
  readonly lag: LagMonitor;
  /** How busy the whole machine was (summary.json `stress.hostBusyPercent`). */
  readonly host = new HostCpuMonitor();
  /** Set when the time scale asked for was above what the local cloud models faithfully. */
  timeScaleCapped: TimeScaleChoice['capped'];
  /** The handlers' Cloud port (summary.json `adapter`). */
  adapter: HandlerAdapter = 'local';
  /** The local AWS endpoint the aws adapter calls, when it is used. */
  private endpoint: ApiServer | undefined;

  private constructor(
    readonly config: LabConfig,
    readonly cloud: LocalAws,
    readonly lab: LocalLab,
    private readonly labCloud: LocalCloud,
    readonly stepFunctions: LocalStepFunctions,
    readonly executionArn: string,
    readonly name: string,
    private readonly notifier?: LocalNotifyTarget,
    /** The fault injection the bus was built with, for the evidence. */
    readonly eventFaults?: DeliveryFaults,
  ) {
    this.simulatedStart = cloud.clock.now();
    this.lag = new LagMonitor(cloud.clock);
  }

  static async start(options: LabRunOptions): Promise<LabRun> {
    const scale = faithfulTimeScale(options.config.timeScale);
    const config = { ...options.config, timeScale: scale.timeScale };
    const ledger = instanceLedger(options.stateDir);
    const cloud = new LocalAws({
      timeScale: config.timeScale,
      bootSeconds: config.instanceBootSeconds,
      subnet: options.subnet,
      eventFaults: options.eventFaults,
      ledger,
      // Into the run's evidence, not onto the terminal, where it would tear the live progress.
      onError: (error) =>
        options.log(JSON.stringify({ level: 'ERROR', message: 'local cloud', error: String(error) })),
    });
    let stepFunctions: LocalStepFunctions | undefined;
    let setup: LabSetup | undefined;
    try {
      stepFunctions = new LocalStepFunctions({
        stateDir: options.stateDir,
        clock: cloud.clock,
        publish: (event) => void cloud.bus.putEvents([event]),
      });
      fillOrphanedRunFolders(stepFunctions, options.stateDir);
      takeChargeOfInstances(cloud, ledger, options.stateDir);
      if (options.failScaleOutApps) failAppsAfterTheFirst(cloud, config.section2.autoScalingGroupName);
      setup = await setUpLocalLab({
        cloud,
        stepFunctions,
        config,
        log: options.log,
        adapter: options.adapter,
      });
      const { lab, labCloud, stateMachineArn } = setup;
      const notifier =
        options.notifications &&
        startNotifier(cloud, config, stateMachineArn, options.notifications, options.log);
      const name = options.name ?? defaultExecutionName();
      const { executionArn } = stepFunctions.startExecution({
        stateMachineArn,
        name,
        input: JSON.stringify({ config }),
      });
      if (options.runFolder) rememberRunFolder(options.stateDir, executionArn ?? '', options.runFolder);
      const run = new LabRun(
        config,
        cloud,
        lab,
        labCloud,
        stepFunctions,
        executionArn ?? '',
        name,
        notifier,
        options.eventFaults,
      );
      run.timeScaleCapped = scale.capped;
      run.adapter = options.adapter ?? 'local';
      run.endpoint = setup.endpoint;
      cloud.bus.subscribe((event) => run.onEvent(event));
      return run;
    } catch (error) {
      await setup?.endpoint?.close();
      await stepFunctions?.close({ keepLock: true });
      try {
        await cloud.close();
      } finally {
        stepFunctions?.releaseStateDir();
      }
      throw error;
    }
  }

  /** Resolves with the execution once it has ended, whatever its status, and its events are in. */
  async finished(): Promise<DescribeExecutionOutput> {
    const execution = await this.stepFunctions.whenSettled(this.executionArn);
    await this.cloud.bus.drain();
    // Subscribers hear of an event on a later tick than its targets do.
    await new Promise((resolve) => setImmediate(resolve));
    return execution;
  }

  async progress(): Promise<LabProgress> {
    const [group] = this.cloud.autoscaling.describeAutoScalingGroups([
      this.config.section2.autoScalingGroupName,
    ]);
    const healthy = this.cloud.elb
      .describeTargetHealth(this.lab.scalingTargets)
      .filter(({ targetHealth }) => targetHealth.state === 'healthy').length;
    const history = runHistory(this);
    return {
      phases: phaseTimeline(history),
      observations: observationsOf(history),
      simulatedSeconds: (this.cloud.clock.now() - this.simulatedStart) / 1000,
      realSeconds: (performance.now() - this.startedAt) / 1000,
      inService: group?.Instances?.filter(({ LifecycleState }) => LifecycleState === 'InService').length ?? 0,
      healthy,
      cpu: await this.labCloud.getGroupCpu(),
      target: this.config.section2.targetCpuPercent,
    };
  }

  /** The performance.now() instant of a simulated epoch-ms instant of this run. */
  realAt(simulatedMs: number): number {
    return this.startedAt + (simulatedMs - this.simulatedStart) / this.cloud.clock.scale;
  }

  /** Stops a running execution (Ctrl-C); tear-down then happens in close(). */
  stop(cause: string): void {
    const { status } = this.stepFunctions.describeExecution({ executionArn: this.executionArn });
    if (status !== 'RUNNING') return;
    this.stepFunctions.stopExecution({
      executionArn: this.executionArn,
      error: INTERRUPTED_ERROR,
      cause,
    });
  }

  /** Ends everything the run started: executions, instances, servers, timers. */
  async close(): Promise<void> {
    this.lag.stop();
    this.host.stop();
    // Handlers that still run (tear-down after a stop) get a refused connection, not a hang.
    await this.endpoint?.close();
    // The state directory is let go last: its next owner ends any instance it finds alive.
    await this.stepFunctions.close({ keepLock: true });
    try {
      await this.lab.userData.close();
      await this.cloud.close();
    } finally {
      this.stepFunctions.releaseStateDir();
    }
    await this.notifier?.close(NOTIFY_CLOSE_GRACE_MS);
  }

  private onEvent(event: EventBridgeEvent): void {
    this.events.push(event);
    this.eventArrivals.push(Date.now());
    const detail = event.detail as Record<string, unknown>;
    if (event.source === LAB_EVENT_SOURCE && event['detail-type'] === PHASE_EVENT_TYPE) {
      this.phases.push({
        phase: String(detail.phase),
        simulatedAt: event.time,
        realMs: performance.now() - this.startedAt,
      });
    }
    if (event.source === LAB_EVENT_SOURCE && event['detail-type'] === VERDICT_EVENT_TYPE) {
      this.verdict = detail as unknown as VerdictOutput;
    }
  }
}

/** Makes every app the group launches after its first fail its start (LocalEc2.failAppStarts). */
function failAppsAfterTheFirst(cloud: LocalAws, groupName: string): void {
  let launched = 0;
  cloud.ec2.failAppStarts(({ tags }) => {
    if (tags?.['aws:autoscaling:groupName'] !== groupName) return false;
    launched += 1;
    return launched > 1;
  });
}
