/**
 * One lab execution of `scalelab serve`, watched from its start (or redrive) to its end: what
 * `scalelab run`'s LabRun gathers for its run folder, in a cloud shared by many executions.
 */
import type { LabConfig } from '../../lab/config.js';
import { LAB_EVENT_SOURCE, VERDICT_EVENT_TYPE } from '../../lab/events.js';
import type { VerdictOutput } from '../../lambdas/verdict/core.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import type { LocalAws } from '../../local/local-aws.js';
import type { LocalLab } from '../resources.js';
import { HostCpuMonitor } from './host-cpu.js';
import { LagMonitor } from './lag.js';
import type { RunEvidence } from './run-folder.js';

export interface ExecutionWatchProps {
  name: string;
  executionArn: string;
  config: LabConfig;
  cloud: LocalAws;
  lab: LocalLab;
  /** Set when the watch began after the execution did (a redrive): what it cannot have measured. */
  notMeasured?: Record<string, string>;
}

export class ExecutionWatch implements RunEvidence {
  readonly name: string;
  readonly executionArn: string;
  readonly config: LabConfig;
  readonly cloud: LocalAws;
  readonly lab: LocalLab;
  readonly events: EventBridgeEvent[] = [];
  readonly simulatedStart: number;
  readonly startedAt = performance.now();
  readonly adapter = 'local' as const;
  // The clock is the serve's: its lag while this execution ran is this execution's lag.
  readonly lag: LagMonitor;
  readonly host = new HostCpuMonitor();
  readonly requestBaseline: Record<string, number>;
  readonly notMeasured: Record<string, string> | undefined;
  verdict: VerdictOutput | undefined;

  constructor(props: ExecutionWatchProps) {
    this.name = props.name;
    this.executionArn = props.executionArn;
    this.config = props.config;
    this.cloud = props.cloud;
    this.lab = props.lab;
    this.notMeasured = props.notMeasured;
    this.simulatedStart = props.cloud.clock.now();
    this.lag = new LagMonitor(props.cloud.clock);
    this.requestBaseline = {
      ...props.cloud.elb.getRequestCounts(props.lab.webTargets),
      ...props.cloud.elb.getRequestCounts(props.lab.scalingTargets),
    };
  }

  /** Keeps every bus event; the verdict is this execution's own (the event names it). */
  onEvent(event: EventBridgeEvent): void {
    this.events.push(event);
    const detail = event.detail as { executionName?: unknown };
    if (
      event.source === LAB_EVENT_SOURCE &&
      event['detail-type'] === VERDICT_EVENT_TYPE &&
      detail.executionName === this.name
    )
      this.verdict = event.detail as unknown as VerdictOutput;
  }

  realAt(simulatedMs: number): number {
    return this.startedAt + (simulatedMs - this.simulatedStart) / this.cloud.clock.scale;
  }

  stop(): void {
    this.lag.stop();
    this.host.stop();
  }
}
