/**
 * Small readers for handler events: each names the field it could not read, so a bad event
 * fails with a message a person can act on (the parseInput middleware adds the step).
 */

import { type LabConfig, parseLabConfig } from '../../lab/config.js';
import { InvalidHandlerInput } from '../../lab/workflow-errors.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readRecord(value: unknown, path: string): JsonRecord {
  if (!isRecord(value))
    throw new InvalidHandlerInput(`${path} must be an object, got ${JSON.stringify(value)}`);
  return value;
}

export function readString(record: JsonRecord, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') {
    throw new InvalidHandlerInput(`${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function readNumber(record: JsonRecord, field: string): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidHandlerInput(`${field} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** What every workflow step receives: the execution and the validated configuration. */
export interface StepInput {
  executionId: string;
  executionName: string;
  config: LabConfig;
}

/**
 * Reads `executionId`, `executionName` and `lab.config` (validated again: it is cheap, and a
 * handler then never trusts state data it did not check).
 */
export function readStepInput(event: unknown): StepInput & { event: JsonRecord } {
  const record = readRecord(event, 'event');
  const lab = readRecord(record.lab, 'lab');
  return {
    event: record,
    executionId: readString(record, 'executionId'),
    executionName: readString(record, 'executionName'),
    config: parseLabConfig(lab.config),
  };
}
