/// <reference lib="dom" />
/** The console's JSON API, from the page (local-lab/console/console-server.ts answers it). */
import type {
  ApiFailure,
  ExecutionSummary,
  ExecutionView,
  FieldErrors,
  StateMachineInfo,
} from '../model/console-api.js';

/** Where the console is mounted, from the page's own markup (`/console`). */
export const BASE = document.getElementById('app')?.dataset.base ?? '/console';

/** An action the server refused, with its words. */
export class ApiRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ApiFailure & FieldErrors>,
  ) {
    super(body.message ?? Object.values(body.errors ?? {}).join('; ') ?? `HTTP ${status}`);
    this.name = 'ApiRefused';
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${BASE}/api${path}`, init);
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new ApiRefused(response.status, body as Partial<ApiFailure & FieldErrors>);
  return body as T;
}

function post<T>(path: string, body: unknown): Promise<T> {
  return call<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** An execution as the console's paths name it: its state machine and its name. */
export interface ExecutionRef {
  machine: string;
  name: string;
}

/** The ref of an execution ARN (`…:execution:<state machine>:<name>`). */
export function refOf(executionArn: string): ExecutionRef {
  const [machine = '', name = ''] = executionArn.split(':').slice(6);
  return { machine, name };
}

/** `/executions/<state machine>/<name>`: the API's path and the page's hash alike. */
export function executionPath({ machine, name }: ExecutionRef): string {
  return `/executions/${encodeURIComponent(machine)}/${encodeURIComponent(name)}`;
}

export const api = {
  stateMachines: () => call<StateMachineInfo[]>('/state-machines'),
  executions: () => call<ExecutionSummary[]>('/executions'),
  execution: (ref: ExecutionRef, historyAfter: number) =>
    call<ExecutionView>(`${executionPath(ref)}?historyAfter=${historyAfter}`),
  start: (request: { stateMachine: string; name: string; input: string }) =>
    post<{ executionArn: string; name: string }>('/executions', request),
  stop: (ref: ExecutionRef) => post<{ stopDate: string }>(`${executionPath(ref)}/stop`, {}),
  replay: (ref: ExecutionRef) =>
    post<{ executionArn: string; name: string }>(`${executionPath(ref)}/replay`, {}),
  redrive: (ref: ExecutionRef) => post<{ redriveDate: string }>(`${executionPath(ref)}/redrive`, {}),
};
