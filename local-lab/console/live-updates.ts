/**
 * Live updates by server-sent events: each page holds one `GET /console/api/events` stream and is
 * told, within a few ms of a history event being written, which execution changed and its
 * status; it then fetches what it shows. Events of one execution that come together (a state's
 * exit and the next one's entry) are sent once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionChanged } from '../../console/model/console-api.js';
import type { LocalStepFunctions } from '../../local/stepfunctions/index.js';

/** Long enough to gather the events one step writes together, short against the 250 ms goal. */
const COALESCE_MS = 15;
/** A comment now and then keeps proxies and idle timeouts from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

export class LiveUpdates {
  private readonly streams = new Set<ServerResponse>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly keepAlive: NodeJS.Timeout;
  private readonly stopListening: () => void;

  constructor(private readonly stepFunctions: LocalStepFunctions) {
    this.stopListening = stepFunctions.onHistoryEvent((executionArn) => this.changed(executionArn));
    this.keepAlive = setInterval(() => this.send(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  /** Answers `request` with the event stream, open until the page goes or {@link close}. */
  attach(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // The browser reconnects after this long if the stream breaks (e.g. the serve restarted).
    response.write('retry: 1000\n\n');
    this.streams.add(response);
    request.on('close', () => this.streams.delete(response));
  }

  /** Ends every stream and stops listening. */
  close(): void {
    this.stopListening();
    clearInterval(this.keepAlive);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  private changed(executionArn: string): void {
    if (this.pending.has(executionArn) || this.streams.size === 0) return;
    const timer = setTimeout(() => {
      this.pending.delete(executionArn);
      // A timer's throw would end the serve: an execution gone (or the engine closing) is told as
      // UNKNOWN, and the page asks for what it shows anyway.
      let status = 'UNKNOWN';
      try {
        status = this.stepFunctions.describeExecution({ executionArn }).status ?? status;
      } catch {}
      const change: ExecutionChanged = { executionArn, status };
      this.send(`event: execution\ndata: ${JSON.stringify(change)}\n\n`);
    }, COALESCE_MS);
    this.pending.set(executionArn, timer);
  }

  private send(text: string): void {
    for (const stream of this.streams) stream.write(text);
  }
}
