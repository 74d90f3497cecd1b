/** A local endpoint on port 0 over a fresh Step Functions service and bus, and SDK clients for it. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { type ApiServer, startApiServer } from '../../local/api/index.js';
import { Clock } from '../../local/clock.js';
import { LocalEventBus } from '../../local/eventbridge/index.js';
import { LocalStepFunctions, type TaskHandler } from '../../local/stepfunctions/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'asl');

/** Dummy credentials: the endpoint accepts any signature, and nothing may reach AWS. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

export interface Endpoint {
  server: ApiServer;
  sfn: SFNClient;
  events: EventBridgeClient;
  service: LocalStepFunctions;
  bus: LocalEventBus;
  stateDir: string;
  /** Creates the fixture's state machine (named after it) and returns its ARN. */
  machine(name: string, substitutions?: Record<string, TaskHandler>): string;
  close(): Promise<void>;
}

/** The service, bus, endpoint and clients; `close()` ends them all and removes the state dir. */
export async function startEndpoint(scale: number): Promise<Endpoint> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-api-'));
  const clock = new Clock({ scale });
  const bus = new LocalEventBus({ clock });
  const service = new LocalStepFunctions({
    stateDir,
    clock,
    publish: (event) => void bus.putEvents([event]),
  });
  const server = await startApiServer({ stepFunctions: service, bus, port: 0 });
  const config = { endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
  const sfn = new SFNClient(config);
  const events = new EventBridgeClient(config);
  return {
    server,
    sfn,
    events,
    service,
    bus,
    stateDir,
    machine(name, substitutions = {}) {
      const definition = fs.readFileSync(path.join(FIXTURES, `${name}.asl.json`), 'utf8');
      return service.createStateMachine({ name, definition, substitutions }).stateMachineArn ?? '';
    },
    async close() {
      sfn.destroy();
      events.destroy();
      await server.close();
      await service.close();
      bus.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A raw request to the endpoint, for what the SDK would never send (bad JSON, unknown targets). */
export async function rawRequest(
  url: string,
  target: string | undefined,
  body: string,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const response = await fetch(url, { method: 'POST', headers, body });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

/** The SDK error a call rejects with, with the members the tests read. */
export type SdkError = Error & { Code?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };

/** The error the promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as SdkError,
  );
  if (!outcome) throw new Error('expected the call to fail, but it succeeded');
  return outcome;
}
