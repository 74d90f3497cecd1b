/**
 * `--event-faults drop=1,duplicate=0.2` and `--fault-seed N`: the local bus's fault injection
 * for Auto Scaling events (local/eventbridge/faults.ts), read from the command line.
 */
import { type DeliveryFaults, validateFaults } from '../local/eventbridge/index.js';
import { UsageError } from './usage-error.js';

const FAULTS = ['drop', 'duplicate', 'delay', 'reorder'] as const;
type FaultName = (typeof FAULTS)[number];

function isFaultName(name: string): name is FaultName {
  return (FAULTS as readonly string[]).includes(name);
}

function fraction(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--event-faults: ${name} must be a fraction from 0 to 1 (got '${text}')`);
  }
  return value;
}

/**
 * The faults of `--event-faults` (`name=fraction` pairs, comma-separated) and `--fault-seed`;
 * undefined when neither is given. Throws {@link UsageError} naming what is wrong.
 */
export function eventFaultsFrom(values: {
  'event-faults'?: string;
  'fault-seed'?: string;
}): DeliveryFaults | undefined {
  const spec = values['event-faults'];
  const seedText = values['fault-seed'];
  if (spec === undefined) {
    if (seedText !== undefined) throw new UsageError('--fault-seed goes with --event-faults');
    return undefined;
  }
  const faults: DeliveryFaults = {};
  for (const part of spec.split(',')) {
    const [name = '', text = '', extra] = part.split('=');
    if (!isFaultName(name) || extra !== undefined) {
      throw new UsageError(
        `--event-faults: '${part}' is not one of ${FAULTS.map((f) => `${f}=F`).join(', ')}`,
      );
    }
    faults[name] = fraction(name, text);
  }
  if (seedText !== undefined) {
    const seed = Number(seedText);
    if (!Number.isInteger(seed)) throw new UsageError(`--fault-seed must be an integer (got '${seedText}')`);
    faults.seed = seed;
  }
  validateFaults(faults);
  return faults;
}
