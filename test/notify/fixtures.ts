/** The notifier's fixtures: real-shaped EventBridge events from local runs, copied fresh per use. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifyEvent } from '../../lambdas/notify/event/event.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

export type FixtureName =
  | 'execution-running'
  | 'execution-failed'
  | 'execution-succeeded'
  | 'phase-changed'
  | 'verdict-pass'
  | 'verdict-fail'
  | 'scale-out'
  | 'scale-in'
  | 'launch-provision'
  | 'launch-unsuccessful';

const cache = new Map<FixtureName, NotifyEvent>();

/** A fresh copy of a fixture event (tests may change it freely). */
export function fixture(name: FixtureName): NotifyEvent {
  let event = cache.get(name);
  if (!event) {
    event = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as NotifyEvent;
    cache.set(name, event);
  }
  return structuredClone(event);
}
