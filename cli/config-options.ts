import { readFileSync } from 'node:fs';
import { type LabConfig, parseLabConfig } from '../lab/config.js';
import { UsageError } from './usage-error.js';

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // a bare word is a string: --set section1.loadBalancerName=web
  }
}

/** Turns `section2.maxSize=3` into `{ section2: { maxSize: 3 } }`, merged into `target`. */
function applySetting(target: Record<string, unknown>, setting: string): void {
  const equals = setting.indexOf('=');
  if (equals <= 0) throw new UsageError(`--set needs path=value, e.g. section2.maxSize=3; got '${setting}'`);
  const path = setting.slice(0, equals).split('.');
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) ?? ''] = parseValue(setting.slice(equals + 1));
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --config ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--config ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The lab configuration a command runs with: defaults, then a `--config` JSON file, then each
 * `--set path=value`, then `--time-scale`. Invalid configuration is a usage error naming the field,
 * raised before anything starts.
 */
export function labConfigFrom(values: { config?: string; set?: string[]; 'time-scale'?: string }): LabConfig {
  const overrides = values.config ? readConfigFile(values.config) : {};
  for (const setting of values.set ?? []) applySetting(overrides, setting);
  if (values['time-scale'] !== undefined) overrides.timeScale = parseValue(values['time-scale']);
  try {
    return parseLabConfig(overrides);
  } catch (error) {
    throw new UsageError(`bad lab configuration: ${(error as Error).message}`);
  }
}
