/**
 * What survives the process: per execution a record (rewritten atomically) and an append-only
 * history; per state machine its definition. Layout under the state directory:
 *   executions/<url-safe id>/record.json, executions/<url-safe id>/history.jsonl
 *   state-machines/<name>.json
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecutionStatus } from '@aws-sdk/client-sfn';

/** An execution as persisted; dates are ISO strings, simulated unless named `real…`. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  /** The execution input as a JSON string, as StartExecution received it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Simulated time (the Clock), like every AWS-named date of this service. */
  startDate: string;
  stopDate?: string;
  /** Real wall-clock time, for reading logs next to the simulated dates. */
  realStartDate: string;
  realStopDate?: string;
  redriveCount: number;
  redriveDate?: string;
  /** The definition (with its `${Name}` placeholders) this execution runs; redrive reuses it. */
  definition: string;
  /** The time scale the execution started with. */
  timeScale: number;
}

/** A state machine as persisted: handlers are functions and live only in the process. */
export interface StateMachineRecord {
  name: string;
  stateMachineArn: string;
  definition: string;
  roleArn: string;
  creationDate: string;
}

/** Writes `data` to `file` so a reader sees the old or the new content, never half of one. */
function writeAtomically(file: string, data: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/** An execution folder whose record cannot be read: its name stays taken, and it is reported. */
export interface DamagedExecution {
  /** `<state machine name>:<execution name>`, decoded from the folder's name. */
  id: string;
  folder: string;
  reason: string;
}

const RECORD_FIELDS = ['executionArn', 'stateMachineName', 'name', 'status', 'input', 'startDate'] as const;

/** The record in `folder`, or why it cannot be used. */
function readRecord(folder: string): ExecutionRecord | { damaged: string } {
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, 'record.json'), 'utf8');
  } catch (error) {
    return {
      damaged: `record.json cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { damaged: 'record.json is not valid JSON (truncated or overwritten)' };
  }
  const record = value as Record<string, unknown> | null;
  const missing = RECORD_FIELDS.filter((field) => typeof record?.[field] !== 'string');
  if (missing.length > 0) return { damaged: `record.json lacks ${missing.join(', ')}` };
  return value as ExecutionRecord;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    // A missing or torn file (a crash before the rename) is the same as no record.
    return undefined;
  }
}

/** The `<state machine>:<execution>` a folder stands for; a name that does not decode, as it is. */
function decodeFolderName(entry: string): string {
  try {
    return decodeURIComponent(entry);
  } catch {
    return entry;
  }
}

export class ExecutionStore {
  private readonly executionsDir: string;
  private readonly stateMachinesDir: string;

  constructor(stateDir: string) {
    this.executionsDir = path.join(stateDir, 'executions');
    this.stateMachinesDir = path.join(stateDir, 'state-machines');
    fs.mkdirSync(this.executionsDir, { recursive: true });
    fs.mkdirSync(this.stateMachinesDir, { recursive: true });
  }

  /** The folder of one execution: the ARN's last two parts, URL-encoded to be a safe file name. */
  executionDir(record: Pick<ExecutionRecord, 'stateMachineName' | 'name'>): string {
    return path.join(this.executionsDir, encodeURIComponent(`${record.stateMachineName}:${record.name}`));
  }

  historyFile(record: Pick<ExecutionRecord, 'stateMachineName' | 'name'>): string {
    return path.join(this.executionDir(record), 'history.jsonl');
  }

  saveExecution(record: ExecutionRecord): void {
    const dir = this.executionDir(record);
    fs.mkdirSync(dir, { recursive: true });
    writeAtomically(path.join(dir, 'record.json'), `${JSON.stringify(record, null, 2)}\n`);
  }

  /**
   * Every execution folder: the readable records, and the damaged ones (a torn or overwritten
   * record.json, a folder left without one). A damaged execution is never dropped silently: its
   * history is still there, so its name must stay taken.
   */
  loadExecutions(): { records: ExecutionRecord[]; damaged: DamagedExecution[] } {
    const records: ExecutionRecord[] = [];
    const damaged: DamagedExecution[] = [];
    for (const entry of fs.readdirSync(this.executionsDir)) {
      const folder = path.join(this.executionsDir, entry);
      const record = readRecord(folder);
      if ('damaged' in record) damaged.push({ id: decodeFolderName(entry), folder, reason: record.damaged });
      else if (encodeURIComponent(`${record.stateMachineName}:${record.name}`) !== entry) {
        // A record that parses but names another execution (a garbled name, a copied folder) would
        // be listed under that name and free its folder's: a new execution would then append to
        // this history. It is damaged, and its folder's name stays taken.
        const names = `${record.stateMachineName}:${record.name}`;
        damaged.push({
          id: decodeFolderName(entry),
          folder,
          reason: `record.json names execution ${names}, not the one of its folder`,
        });
      } else records.push(record);
    }
    return { records, damaged };
  }

  saveStateMachine(record: StateMachineRecord): void {
    writeAtomically(
      path.join(this.stateMachinesDir, `${encodeURIComponent(record.name)}.json`),
      JSON.stringify(record, null, 2),
    );
  }

  loadStateMachines(): StateMachineRecord[] {
    const records: StateMachineRecord[] = [];
    for (const entry of fs.readdirSync(this.stateMachinesDir)) {
      if (!entry.endsWith('.json')) continue;
      const record = readJson<StateMachineRecord>(path.join(this.stateMachinesDir, entry));
      if (record) records.push(record);
    }
    return records;
  }
}
