/** Shared set-up for the Step Functions tests: fixtures, a service on a temp dir, cleanup. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { Clock } from '../../local/clock.js';
import {
  type EventBridgeEnvelope,
  LocalStepFunctions,
  type TaskHandler,
} from '../../local/stepfunctions/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'asl');

/** The text of an ASL fixture under test/fixtures/asl/. */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, `${name}.asl.json`), 'utf8');
}

export interface Harness {
  service: LocalStepFunctions;
  stateDir: string;
  clock: Clock;
  events: EventBridgeEnvelope[];
  /** Creates the fixture's state machine (named after it) and returns its ARN. */
  machine(name: string, substitutions?: Record<string, TaskHandler>): string;
  close(): Promise<void>;
}

/** A service on a fresh temp dir (or on `stateDir`); `close()` ends it and removes the dir. */
export function harness(scale: number, stateDir?: string): Harness {
  const dir = stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-sfn-'));
  const clock = new Clock({ scale });
  const events: EventBridgeEnvelope[] = [];
  const service = new LocalStepFunctions({
    stateDir: dir,
    clock,
    publish: (event) => void events.push(event),
  });
  return {
    service,
    stateDir: dir,
    clock,
    events,
    machine(name, substitutions = {}) {
      return (
        service.createStateMachine({ name, definition: fixture(name), substitutions }).stateMachineArn ?? ''
      );
    },
    async close() {
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The types of a history, in order, for compact assertions. */
export function typesOf(events: HistoryEvent[]): string[] {
  return events.map((event) => event.type ?? '');
}
