/**
 * The history of one execution in GetExecutionHistory's shape, appended to a JSON Lines file
 * event by event (one synchronous write each) so that a crash loses nothing already recorded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { Clock } from '../clock.js';

/** Local facts that AWS's history has no event type for; they ride on the next event. */
export interface LocalEventDetails {
  /** The state was retried after an error matched one of its Retry rules. */
  retried?: { state: string; errorEquals: string[]; attempt: number };
  /** An error of the state was caught by one of its Catch rules. */
  caught?: { state: string; errorEquals: string[]; next: string };
}

/**
 * A HistoryEvent as AWS returns it, plus two clearly local fields. `timestamp` is SIMULATED time
 * (the Clock, so a 300 s Wait spans 300 s of timestamps at any scale); `realTimestamp` is the real
 * wall-clock time the event happened.
 */
export interface LocalHistoryEvent extends HistoryEvent {
  realTimestamp: Date;
  localEventDetails?: LocalEventDetails;
}

/** An event to append: everything but the id, links and timestamps, which the log assigns. */
export type NewHistoryEvent = Omit<
  LocalHistoryEvent,
  'id' | 'previousEventId' | 'timestamp' | 'realTimestamp'
>;

function reviveEvent(line: string): LocalHistoryEvent | undefined {
  try {
    const raw = JSON.parse(line) as LocalHistoryEvent & { timestamp: string; realTimestamp: string };
    return { ...raw, timestamp: new Date(raw.timestamp), realTimestamp: new Date(raw.realTimestamp) };
  } catch {
    // The last line of a history can be torn by a crash mid-write; it was never acknowledged.
    return undefined;
  }
}

/** Every complete event recorded in `file`, oldest first. */
export function readHistory(file: string): LocalHistoryEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: LocalHistoryEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = reviveEvent(line);
    if (event) events.push(event);
  }
  return events;
}

export class HistoryLog {
  private fd: number | undefined;
  private lastId: number;
  private pendingDetails: LocalEventDetails | undefined;

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
    /** Told of each event once it is written (a live view follows the history without re-reading it). */
    private readonly onAppend?: (event: LocalHistoryEvent) => void,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const existing = readHistory(file);
    this.lastId = existing.at(-1)?.id ?? 0;
    this.fd = fs.openSync(file, 'a');
    const size = fs.fstatSync(this.fd).size;
    if (size > 0 && !fs.readFileSync(file, 'utf8').endsWith('\n')) fs.writeSync(this.fd, '\n');
  }

  /** Attaches local-only details (a retry, a catch) to the next appended event. */
  annotateNext(details: LocalEventDetails): void {
    this.pendingDetails = { ...this.pendingDetails, ...details };
  }

  /**
   * Appends one event; `realMs` is when it happened (epoch ms), default now; `simMs` its simulated
   * time, default the clock's at `realMs`.
   */
  append(
    event: NewHistoryEvent,
    realMs: number = Date.now(),
    simMs: number = this.clock.simAt(realMs),
  ): LocalHistoryEvent {
    if (this.fd === undefined) throw new Error(`history ${this.file} is closed`);
    const id = this.lastId + 1;
    const full: LocalHistoryEvent = {
      timestamp: new Date(simMs),
      realTimestamp: new Date(realMs),
      id,
      previousEventId: id - 1,
      ...event,
    };
    if (this.pendingDetails) {
      full.localEventDetails = this.pendingDetails;
      this.pendingDetails = undefined;
    }
    fs.writeSync(this.fd, `${JSON.stringify(full)}\n`);
    this.lastId = id;
    this.onAppend?.(full);
    return full;
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
