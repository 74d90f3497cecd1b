/**
 * The local Step Functions service: Step Functions' API (names and request/response shapes of
 * @aws-sdk/client-sfn) over aws-local-stepfunctions, with task tokens, persisted records and
 * histories, time scaling, stop, replay and redrive.
 */
import { randomUUID } from 'node:crypto';
import type {
  CreateStateMachineOutput,
  DescribeExecutionInput,
  DescribeExecutionOutput,
  DescribeStateMachineInput,
  DescribeStateMachineOutput,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  ListExecutionsInput,
  ListExecutionsOutput,
  ListStateMachinesInput,
  ListStateMachinesOutput,
  RedriveExecutionInput,
  RedriveExecutionOutput,
  SendTaskFailureInput,
  SendTaskHeartbeatInput,
  SendTaskSuccessInput,
  StartExecutionInput,
  StartExecutionOutput,
  StopExecutionInput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { arn } from '../arn.js';
import type { Clock } from '../clock.js';
import {
  assertValidName,
  executionArn,
  parseExecutionArn,
  parseStateMachineArn,
  stateMachineArn,
} from './arn.js';
import { validateDefinition } from './asl-rules.js';
import { type AslMachine, localFunctionArn, parseMachine, substitutePlaceholders } from './definition.js';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  ValidationException,
} from './errors.js';
import { type EventBridgeEnvelope, statusChangeEvent } from './events.js';
import { parseExecutionInput } from './execution-input.js';
import { HistoryLog, type LocalHistoryEvent, readHistory } from './history.js';
import { redrivePoint } from './history-events.js';
import { ExecutionRunner } from './runner.js';
import {
  describeExecutionOutput,
  describeStateMachineOutput,
  executionListItem,
  paginate,
} from './shapes.js';
import { StateDirLock } from './state-dir-lock.js';
import {
  type DamagedExecution,
  type ExecutionRecord,
  ExecutionStore,
  type StateMachineRecord,
} from './store.js';
import type { TaskHandler } from './tasks.js';
import { TaskTokens } from './tokens.js';

export interface LocalStepFunctionsOptions {
  /** Where records, histories and state machines are kept (created if missing). */
  stateDir: string;
  /** Simulated time; its scale is the time scale of Wait states, timeouts, heartbeats and retries. */
  clock: Clock;
  /** Receives every "Step Functions Execution Status Change" event, e.g. the local EventBridge bus. */
  publish?: (event: EventBridgeEnvelope) => void | Promise<void>;
  /** Told about each damaged execution record found at start; default: a line on stderr. */
  warn?: (message: string) => void;
}

/** CreateStateMachine, locally: `substitutions` maps each `${Name}` placeholder to a handler. */
export interface CreateLocalStateMachineInput {
  name: string;
  definition: string;
  substitutions?: Record<string, TaskHandler>;
  roleArn?: string;
}

/** GetExecutionHistory's output with the local fields of {@link LocalHistoryEvent}. */
export type LocalGetExecutionHistoryOutput = Omit<GetExecutionHistoryOutput, 'events'> & {
  events: LocalHistoryEvent[];
};

/** Told of one history event of one execution, right after it is written. */
export type HistoryListener = (executionArn: string, event: LocalHistoryEvent) => void;

interface StateMachineEntry {
  record: StateMachineRecord;
  /** Handlers by local function ARN; absent for a state machine loaded from disk until re-created. */
  handlers?: Map<string, TaskHandler>;
}

const LOCAL_ROLE_ARN = arn('iam', 'role/scalelab-local-states', { regional: false });
const REDRIVABLE = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export class LocalStepFunctions {
  private readonly store: ExecutionStore;
  private readonly lock: StateDirLock;
  private readonly tokens: TaskTokens;
  private readonly stateMachines = new Map<string, StateMachineEntry>();
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly runners = new Map<string, ExecutionRunner>();
  /** Executions whose record cannot be read, by ARN: reported, never listed, their names taken. */
  private readonly damaged = new Map<string, DamagedExecution>();
  /** ARNs of the executions found RUNNING at start, left by a process that ended, now ABORTED. */
  private readonly orphans: string[] = [];
  private readonly historyListeners = new Set<HistoryListener>();

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.store = new ExecutionStore(options.stateDir);
    this.lock = new StateDirLock(options.stateDir);
    this.tokens = new TaskTokens(options.clock);
    for (const record of this.store.loadStateMachines()) this.stateMachines.set(record.name, { record });
    const { records, damaged } = this.store.loadExecutions();
    for (const record of records) {
      this.records.set(record.executionArn, record);
      if (record.status === 'RUNNING') this.abortOrphan(record);
    }
    const warn = options.warn ?? ((message: string) => process.stderr.write(`scalelab: ${message}\n`));
    for (const execution of damaged) {
      const [stateMachineName = '', name = ''] = execution.id.split(':');
      this.damaged.set(executionArn(stateMachineName, name), execution);
      warn(
        `execution ${execution.id} has a damaged record (${execution.reason}, in ${execution.folder}): it is not listed and its name stays taken`,
      );
    }
  }

  /**
   * The executions found RUNNING at start and marked ABORTED then: the process running them ended
   * (crash or kill) without a word, so whatever that process meant to write afterwards is missing.
   */
  abortedOrphans(): DescribeExecutionOutput[] {
    return this.orphans.map((arn) => this.describeExecution({ executionArn: arn }));
  }

  /** The executions whose record could not be read at start. */
  damagedExecutions(): readonly DamagedExecution[] {
    return [...this.damaged.values()];
  }

  createStateMachine(input: CreateLocalStateMachineInput): CreateStateMachineOutput {
    assertValidName(input.name, 'state machine');
    const handlers = this.handlerMap(input.substitutions ?? {});
    validateDefinition(
      substitutePlaceholders(input.definition, new Set(Object.keys(input.substitutions ?? {}))),
      input.definition,
    );
    const existing = this.stateMachines.get(input.name);
    if (existing && existing.record.definition !== input.definition) {
      throw new StateMachineAlreadyExists(
        `State Machine Already Exists: '${existing.record.stateMachineArn}'`,
      );
    }
    // Same name and definition: AWS returns the existing machine; locally this also attaches the
    // handlers of this process (after a restart, that is what makes redrive possible).
    const record = existing?.record ?? {
      name: input.name,
      stateMachineArn: stateMachineArn(input.name),
      definition: input.definition,
      roleArn: input.roleArn ?? LOCAL_ROLE_ARN,
      creationDate: new Date(this.options.clock.now()).toISOString(),
    };
    if (!existing) this.store.saveStateMachine(record);
    this.stateMachines.set(input.name, { record, handlers });
    return { stateMachineArn: record.stateMachineArn, creationDate: new Date(record.creationDate) };
  }

  /**
   * UpdateStateMachine: a new definition (and this process's handlers) for later executions.
   * Executions keep the definition they started with, so redriving an older one is unaffected.
   */
  updateStateMachine(input: {
    stateMachineArn: string;
    definition: string;
    substitutions?: Record<string, TaskHandler>;
  }): { updateDate: Date } {
    const entry = this.stateMachine(input.stateMachineArn);
    const handlers = this.handlerMap(input.substitutions ?? {});
    validateDefinition(
      substitutePlaceholders(input.definition, new Set(Object.keys(input.substitutions ?? {}))),
      input.definition,
    );
    const record = { ...entry.record, definition: input.definition };
    this.store.saveStateMachine(record);
    this.stateMachines.set(record.name, { record, handlers });
    return { updateDate: new Date(this.options.clock.now()) };
  }

  describeStateMachine(input: DescribeStateMachineInput): DescribeStateMachineOutput {
    return describeStateMachineOutput(this.stateMachine(input.stateMachineArn).record);
  }

  listStateMachines(input: ListStateMachinesInput = {}): ListStateMachinesOutput {
    const all = [...this.stateMachines.values()]
      .map((entry) => entry.record)
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    const stateMachines = page.map((r) => ({
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      type: 'STANDARD' as const,
      creationDate: new Date(r.creationDate),
    }));
    return { stateMachines, nextToken };
  }

  startExecution(input: StartExecutionInput): StartExecutionOutput {
    const entry = this.stateMachine(input.stateMachineArn);
    return this.launch(entry, input.name ?? randomUUID(), input.input ?? '{}', entry.record.definition);
  }

  /** Replay: a new execution of the same definition with the same input (not an AWS API). */
  replayExecution(arn: string): StartExecutionOutput {
    const record = this.execution(arn);
    return this.launch(
      this.stateMachineNamed(record.stateMachineName),
      randomUUID(),
      record.input,
      record.definition,
    );
  }

  describeExecution(input: DescribeExecutionInput): DescribeExecutionOutput {
    return describeExecutionOutput(this.execution(input.executionArn));
  }

  /**
   * When the execution really started and stopped, by the wall clock (AWS's dates here are
   * simulated): scalelab's own, not an AWS member. A record from before real dates were kept has none.
   */
  executionRealDates(executionArn: string): { realStartDate?: Date; realStopDate?: Date } {
    const { realStartDate, realStopDate } = this.execution(executionArn);
    return {
      ...(realStartDate && { realStartDate: new Date(realStartDate) }),
      ...(realStopDate && { realStopDate: new Date(realStopDate) }),
    };
  }

  listExecutions(input: ListExecutionsInput = {}): ListExecutionsOutput {
    const smName =
      input.stateMachineArn === undefined ? undefined : this.stateMachine(input.stateMachineArn).record.name;
    // Newest first, as AWS lists them, by when they really started: simulated dates of sessions
    // at different time scales do not order (an earlier ×60 session runs hours ahead of a later ×1).
    const matching = [...this.records.values()]
      .filter(
        (r) =>
          (smName === undefined || r.stateMachineName === smName) &&
          (!input.statusFilter || r.status === input.statusFilter),
      )
      .sort((a, b) => realStart(b).localeCompare(realStart(a)) || b.name.localeCompare(a.name));
    const { page, nextToken } = paginate(matching, input.maxResults, input.nextToken);
    return { executions: page.map(executionListItem), nextToken };
  }

  getExecutionHistory(input: GetExecutionHistoryInput): LocalGetExecutionHistoryOutput {
    const record = this.execution(input.executionArn);
    const events = readHistory(this.store.historyFile(record));
    if (input.reverseOrder) events.reverse();
    const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
    return { events: page, nextToken };
  }

  stopExecution(input: StopExecutionInput): StopExecutionOutput {
    const record = this.execution(input.executionArn);
    this.runners.get(record.executionArn)?.stop(input.error, input.cause);
    return { stopDate: new Date(record.stopDate ?? this.options.clock.now()) };
  }

  redriveExecution(input: RedriveExecutionInput): RedriveExecutionOutput {
    const record = this.execution(input.executionArn);
    if (!REDRIVABLE.has(record.status)) {
      throw new ExecutionNotRedrivable(
        `Execution Not Redrivable: execution '${record.executionArn}' is ${record.status}; only FAILED, TIMED_OUT and ABORTED executions can be redriven`,
      );
    }
    const entry = this.stateMachineNamed(record.stateMachineName);
    const machine = this.runnableMachine(entry, record.definition);
    const point = redrivePoint(
      readHistory(this.store.historyFile(record)),
      machine,
      JSON.parse(record.input),
    );
    const now = new Date(this.options.clock.now()).toISOString();
    Object.assign(record, { status: 'RUNNING', redriveCount: record.redriveCount + 1, redriveDate: now });
    for (const field of ['stopDate', 'realStopDate', 'output', 'error', 'cause'] as const)
      delete record[field];
    this.run(record, entry, machine, { input: point.input, startAt: point.state }, true);
    return { redriveDate: new Date(now) };
  }

  sendTaskSuccess(input: SendTaskSuccessInput): Record<string, never> {
    this.tokens.succeed(input.taskToken ?? '', input.output ?? '');
    return {};
  }

  sendTaskFailure(input: SendTaskFailureInput): Record<string, never> {
    this.tokens.fail(input.taskToken ?? '', input.error, input.cause);
    return {};
  }

  sendTaskHeartbeat(input: SendTaskHeartbeatInput): Record<string, never> {
    this.tokens.heartbeat(input.taskToken ?? '');
    return {};
  }

  /**
   * Calls `listener` with every history event any execution appends from now on, right after it
   * is written (not an AWS API: a live view follows executions without polling their histories).
   * Returns the function that stops it.
   */
  onHistoryEvent(listener: HistoryListener): () => void {
    this.historyListeners.add(listener);
    return () => this.historyListeners.delete(listener);
  }

  /** Resolves when the execution's current attempt has ended (not an AWS API; for tests and the CLI). */
  async whenSettled(arn: string): Promise<DescribeExecutionOutput> {
    const record = this.execution(arn);
    await this.runners.get(record.executionArn)?.done;
    return describeExecutionOutput(record);
  }

  /** Ends every running execution as ABORTED and releases every timer; the service is unusable after. */
  /**
   * Ends every running execution (ABORTED) and lets go of the state directory, unless `keepLock`:
   * a caller whose instances still run releases it with {@link releaseStateDir} once they are
   * gone, so that the next owner never finds them alive (it ends what a killed owner left).
   */
  async close({ keepLock = false } = {}): Promise<void> {
    const running = [...this.runners.values()];
    for (const runner of running)
      runner.close('The local Step Functions service was closed while the execution was running');
    this.tokens.close();
    await Promise.all(running.map((runner) => runner.done));
    this.runners.clear();
    if (!keepLock) this.lock.release();
  }

  /** Lets go of the state directory (after `close({ keepLock: true })`). */
  releaseStateDir(): void {
    this.lock.release();
  }

  private launch(
    entry: StateMachineEntry,
    name: string,
    inputText: string,
    definition: string,
  ): StartExecutionOutput {
    assertValidName(name, 'execution');
    const input = parseExecutionInput(inputText);
    const arn = executionArn(entry.record.name, name);
    const damaged = this.damaged.get(arn);
    if (damaged) {
      throw new ExecutionAlreadyExists(
        `Execution Already Exists: '${arn}' (its record is damaged: ${damaged.reason}, in ${damaged.folder})`,
      );
    }
    const existing = this.records.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: arn, startDate: new Date(existing.startDate) };
      }
      throw new ExecutionAlreadyExists(`Execution Already Exists: '${arn}'`);
    }
    const machine = this.runnableMachine(entry, definition);
    const record: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: entry.record.stateMachineArn,
      stateMachineName: entry.record.name,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: new Date(this.options.clock.now()).toISOString(),
      realStartDate: new Date().toISOString(),
      redriveCount: 0,
      definition,
      timeScale: this.options.clock.scale,
    };
    this.records.set(arn, record);
    this.run(record, entry, machine, { input }, false);
    return { executionArn: arn, startDate: new Date(record.startDate) };
  }

  private run(
    record: ExecutionRecord,
    entry: StateMachineEntry,
    machine: AslMachine,
    start: { input: unknown; startAt?: string },
    redriven: boolean,
  ): void {
    const runner = new ExecutionRunner(record, machine, {
      clock: this.options.clock,
      tokens: this.tokens,
      historyFile: this.store.historyFile(record),
      // Looked up per call: a state machine re-created after a restart brings new handlers.
      handlerFor: (functionArn) => this.stateMachines.get(entry.record.name)?.handlers?.get(functionArn),
      onStatusChange: (changed) => this.statusChanged(changed),
      onHistoryEvent: (arn, event) => this.historyAppended(arn, event),
    });
    this.runners.set(record.executionArn, runner);
    void runner.start(start, redriven).then(() => {
      if (this.runners.get(record.executionArn) === runner) this.runners.delete(record.executionArn);
    });
  }

  /** The machine to run: the definition with placeholders replaced, checked against this process's handlers. */
  private runnableMachine(entry: StateMachineEntry, definition: string): AslMachine {
    if (!entry.handlers) {
      throw new ValidationException(
        `State machine '${entry.record.name}' was loaded from disk without handlers: create it again with its substitutions first`,
      );
    }
    const names = new Set([...entry.handlers.keys()].map((arn) => arn.slice(arn.lastIndexOf(':') + 1)));
    return parseMachine(substitutePlaceholders(definition, names));
  }

  private handlerMap(substitutions: Record<string, TaskHandler>): Map<string, TaskHandler> {
    return new Map(Object.entries(substitutions).map(([name, handler]) => [localFunctionArn(name), handler]));
  }

  private historyAppended(executionArn: string, event: LocalHistoryEvent): void {
    for (const listener of this.historyListeners) {
      try {
        listener(executionArn, event);
      } catch (error) {
        // A watcher's failure must not fail the execution that happens to be writing.
        process.emitWarning(`a history listener failed: ${String(error)}`);
      }
    }
  }

  private statusChanged(record: ExecutionRecord): void {
    this.store.saveExecution(record);
    const publish = this.options.publish;
    if (!publish) return;
    const event = statusChangeEvent(record, this.options.clock.now());
    Promise.resolve()
      .then(() => publish(event))
      .catch((error: unknown) =>
        process.emitWarning(`publishing ${event['detail-type']} failed: ${String(error)}`),
      );
  }

  /** A RUNNING record left by a process that ended: AWS would never show it; show it ABORTED. */
  private abortOrphan(record: ExecutionRecord): void {
    const cause =
      'The process that ran this execution ended before the execution finished (crash or kill); redrive it to continue';
    Object.assign(record, { status: 'ABORTED', error: 'States.Runtime', cause });
    // This process's clock starts at real time, while the dead one's ran ahead at its time scale:
    // the abort is stamped no earlier than the last event that process recorded.
    const file = this.store.historyFile(record);
    const lastRecorded = readHistory(file).at(-1)?.timestamp?.getTime() ?? 0;
    const stoppedAt = Math.max(this.options.clock.now(), lastRecorded);
    record.stopDate = new Date(stoppedAt).toISOString();
    record.realStopDate = new Date().toISOString();
    const history = new HistoryLog(file, this.options.clock);
    history.append(
      { type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'States.Runtime', cause } },
      Date.now(),
      stoppedAt,
    );
    history.close();
    this.orphans.push(record.executionArn);
    this.statusChanged(record);
  }

  private stateMachine(arn: string | undefined): StateMachineEntry {
    return this.stateMachineNamed(parseStateMachineArn(arn ?? ''));
  }

  private stateMachineNamed(name: string): StateMachineEntry {
    const entry = this.stateMachines.get(name);
    if (!entry)
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${stateMachineArn(name)}'`);
    return entry;
  }

  private execution(arn: string | undefined): ExecutionRecord {
    const text = arn ?? '';
    parseExecutionArn(text);
    const record = this.records.get(text);
    const damaged = this.damaged.get(text);
    if (!record && damaged) {
      throw new ExecutionDoesNotExist(
        `Execution Does Not Exist: '${text}' can no longer be read: its record is damaged (${damaged.reason}, in ${damaged.folder})`,
      );
    }
    if (!record) throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${text}'`);
    return record;
  }
}

/** When an execution really started; a record written before real dates were kept has only its simulated one. */
function realStart(record: ExecutionRecord): string {
  return record.realStartDate ?? record.startDate;
}
