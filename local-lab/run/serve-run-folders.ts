/**
 * The run folders of `scalelab serve`: every execution of the lab state machine, however it was
 * started (`scalelab start`, the AWS CLI, an SDK), gets the folder `scalelab run` writes, with the
 * same summary.json and report.html, when it ends, whatever its status.
 */
import { join } from 'node:path';
import { STATUS_CHANGE_DETAIL_TYPE, STEP_FUNCTIONS_EVENT_SOURCE } from '../../lab/aws-facts.js';
import type { LabConfig } from '../../lab/config.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import type { LocalAws } from '../../local/local-aws.js';
import type { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import type { LocalLab } from '../resources.js';
import { ExecutionWatch } from './execution-watch.js';
import { rememberRunFolder } from './orphaned-runs.js';
import { executionHistory, summarise, writeRunFolder } from './run-folder.js';

export interface ServeRunFoldersProps {
  cloud: LocalAws;
  stepFunctions: LocalStepFunctions;
  /** Only this state machine's executions (the lab's) get a run folder. */
  stateMachineArn: string;
  config: LabConfig;
  lab: LocalLab;
  runsDir: string;
  /** Where the serve keeps its executions: a folder noted there is filled in if the serve is killed. */
  stateDir: string;
  /** Where a folder that could not be written is reported (the serve's handler log). */
  log: (line: string) => void;
}

interface StatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  redriveCount: number;
  redriveDate: number | null;
}

function statusChangeOf(event: EventBridgeEvent): StatusChange | undefined {
  if (event.source !== STEP_FUNCTIONS_EVENT_SOURCE || event['detail-type'] !== STATUS_CHANGE_DETAIL_TYPE)
    return undefined;
  return event.detail as unknown as StatusChange;
}

/**
 * What a watch begun at a redrive cannot have measured: the earlier attempts ran before it. The
 * history (phases, observations) still covers every attempt.
 */
function beforeRedrive(change: StatusChange): Record<string, string> | undefined {
  if (change.redriveCount === 0) return undefined;
  const at = change.redriveDate === null ? '' : ` at ${new Date(change.redriveDate).toISOString()}`;
  const only = `measured only from the latest redrive${at} (redrive ${change.redriveCount}); earlier attempts ran before it`;
  return {
    lag: only,
    hostCpu: only,
    events: `events.json, metrics.json, scaling activities and request counts ${only}`,
  };
}

/** Watches the lab's executions on the serve's bus and writes each one's run folder at its end. */
export class ServeRunFolders {
  private readonly watches = new Map<string, ExecutionWatch>();
  private readonly writing = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly props: ServeRunFoldersProps) {
    this.unsubscribe = props.cloud.bus.subscribe((event) => this.onEvent(event));
  }

  /** The evidence being gathered for a lab execution that runs (its watch), if there is one. */
  evidenceOf(executionArn: string): ExecutionWatch | undefined {
    return this.watches.get(executionArn);
  }

  /** Waits for the folders being written (after the executions were ended), then stops watching. */
  async close(): Promise<void> {
    await this.props.cloud.bus.drain();
    await Promise.all([...this.writing]);
    this.unsubscribe();
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
  }

  private onEvent(event: EventBridgeEvent): void {
    const change = statusChangeOf(event);
    if (change?.stateMachineArn === this.props.stateMachineArn && change.status === 'RUNNING')
      this.begin(change);
    for (const watch of this.watches.values()) watch.onEvent(event);
    if (change?.stateMachineArn === this.props.stateMachineArn && change.status !== 'RUNNING')
      this.end(change.executionArn);
  }

  private begin(change: StatusChange): void {
    const { cloud, config, lab, runsDir, stateDir } = this.props;
    this.watches.get(change.executionArn)?.stop();
    const watch = new ExecutionWatch({
      name: change.name,
      executionArn: change.executionArn,
      config,
      cloud,
      lab,
      notMeasured: beforeRedrive(change),
    });
    this.watches.set(change.executionArn, watch);
    rememberRunFolder(stateDir, change.executionArn, join(runsDir, change.name));
  }

  private end(executionArn: string): void {
    const watch = this.watches.get(executionArn);
    if (!watch) return;
    const writing = this.write(watch)
      .catch((error: unknown) =>
        this.props.log(
          JSON.stringify({
            level: 'ERROR',
            message: 'run folder not written',
            service: 'serve-run-folders',
            executionArn,
            error: String(error),
          }),
        ),
      )
      .finally(() => {
        watch.stop();
        // A redrive that began meanwhile has a watch of its own.
        if (this.watches.get(executionArn) === watch) this.watches.delete(executionArn);
        this.writing.delete(writing);
      });
    this.writing.add(writing);
  }

  /** As `scalelab run` does at its end: the execution settled, its events in, then the folder. */
  private async write(watch: ExecutionWatch): Promise<void> {
    const { stepFunctions, cloud, runsDir } = this.props;
    const execution = await stepFunctions.whenSettled(watch.executionArn);
    const wallSeconds = (performance.now() - watch.startedAt) / 1000;
    await cloud.bus.drain();
    // Subscribers hear of an event on a later tick than its targets do.
    await new Promise((resolve) => setImmediate(resolve));
    const history = executionHistory(stepFunctions, watch.executionArn);
    await writeRunFolder(
      runsDir,
      watch,
      execution,
      history,
      summarise(watch, execution, history, wallSeconds),
    );
  }
}
