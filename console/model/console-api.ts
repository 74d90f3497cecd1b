/**
 * The console's JSON API (local-lab/console/ serves it, console/web/ reads it): plain data, every
 * date ISO-8601. Execution dates are simulated (the local cloud's clock) unless named real.
 */
import type { ChartModel } from './chart-model.js';
import type { GraphLayout, StateStatus } from './graph-model.js';

export interface StateMachineInfo {
  name: string;
  stateMachineArn: string;
  /** The lab's state machine: its executions have a verdict, evidence and charts. */
  isLab: boolean;
  graph: GraphLayout;
  /** What the start form is filled with: for the lab, its configuration as `{ "config": … }`. */
  defaultInput: string;
}

export interface ExecutionSummary {
  name: string;
  executionArn: string;
  stateMachine: string;
  status: string;
  startDate: string;
  stopDate?: string;
  /** Simulated seconds from start to stop, or to now while it runs. */
  durationSeconds: number;
  /** PASS, FAIL or INCONCLUSIVE once the lab judged (or its run folder says); absent otherwise. */
  verdict?: string;
  redriveCount: number;
}

/** One row of the event history table. */
export interface HistoryRow {
  id: number;
  type: string;
  /** The state the event belongs to, when it belongs to one. */
  state?: string;
  simulatedTime: string;
  realTime: string;
  /** Simulated seconds since the execution started. */
  elapsedSeconds: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface ExpectationRow {
  name: string;
  held: boolean;
  measured: string | null;
  budget: string;
}

export interface VerdictTable {
  verdict: string;
  reason?: string;
  /** Set when the machine's lag or a starved stress made the lab's own verdict untrustworthy. */
  labVerdict?: string;
  expectations: ExpectationRow[];
  /** Where the verdict comes from: the execution's run folder, or its output and history. */
  source: 'run folder' | 'history';
  runFolder?: string;
}

export interface ScalingActivityRow {
  description?: string;
  cause?: string;
  status?: string;
  startTime?: string;
  endTime?: string;
}

export interface ExecutionView {
  execution: ExecutionSummary & {
    input: string;
    output?: string;
    error?: string;
    cause?: string;
  };
  /** Each state's status by name; a state absent has not started. */
  states: Record<string, StateStatus>;
  history: HistoryRow[];
  /** Lab executions only. */
  verdict?: VerdictTable;
  scalingActivities: ScalingActivityRow[];
  /** Lab executions whose evidence this process holds (running, or its run folder written). */
  chart?: ChartModel;
  can: { stop: boolean; redrive: boolean; replay: boolean };
}

/** A refused start: the message for each form field that was wrong (as the CLI words it). */
export interface FieldErrors {
  errors: Partial<Record<'stateMachine' | 'name' | 'input', string>>;
}

/** What an action that failed says: an AWS error name and its message. */
export interface ApiFailure {
  error: string;
  message: string;
}

/** A server-sent event of `/console/api/events`: something happened to this execution. */
export interface ExecutionChanged {
  executionArn: string;
  status: string;
}
