/**
 * The execution input `scalelab start` sends: `{ "config": <overrides> }` from a JSON file and
 * `--set key=value` pairs, checked field by field before anything starts. The workflow's Validate
 * merges them over the deployed configuration and refuses a field fixed at deploy.
 */
import { readFileSync } from 'node:fs';
import { labOverridesProblem, notJsonReason } from '../../lab/execution-input.js';
import { UsageError } from '../usage-error.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readConfigFile(file: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new UsageError(`--config ${file}: expected a JSON object`);
  // Either the overrides themselves or a whole execution input `{ "config": … }`.
  const keys = Object.keys(parsed);
  if (keys.length === 1 && keys[0] === 'config' && isObject(parsed.config)) return parsed.config;
  return parsed;
}

/** `a.b=3` sets `{a: {b: 3}}`: the value is JSON when it parses as JSON, a string otherwise. */
function applySet(target: JsonObject, assignment: string): void {
  const equals = assignment.indexOf('=');
  if (equals <= 0) throw new UsageError(`--set expects key=value, got '${assignment}'`);
  const path = assignment.slice(0, equals).split('.');
  const raw = assignment.slice(equals + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (key === '' || key === '__proto__') throw new UsageError(`--set: bad key '${path.join('.')}'`);
    const next = node[key];
    node[key] = isObject(next) ? next : {};
    node = node[key] as JsonObject;
  }
  const last = path.at(-1) ?? '';
  if (last === '' || last === '__proto__') throw new UsageError(`--set: bad key '${path.join('.')}'`);
  node[last] = value;
}

/**
 * The execution input for a lab run. `--input` is sent as given (for other state machines, or the
 * console's `{"Comment": …}`); otherwise each override is checked on its own (a known field, within
 * its bounds), so a typo fails here (exit 2) rather than in the workflow's first step. The rules
 * between fields and what is fixed at deploy are Validate's: only it knows the deployed configuration.
 */
export function executionInput(options: { config?: string; set?: string[]; input?: string }): string {
  if (options.input !== undefined) {
    if (options.config !== undefined || (options.set ?? []).length > 0) {
      throw new UsageError('--input cannot be combined with --config or --set');
    }
    const notJson = notJsonReason(options.input);
    if (notJson) throw new UsageError(`--input ${notJson}`);
    return options.input;
  }
  const config = options.config === undefined ? {} : readConfigFile(options.config);
  for (const assignment of options.set ?? []) applySet(config, assignment);
  const problem = labOverridesProblem(config);
  if (problem) throw new UsageError(problem);
  return JSON.stringify({ config });
}
