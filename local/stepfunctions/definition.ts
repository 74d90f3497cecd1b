/**
 * The ASL definition as the service handles it: a small typed view of the JSON, a walker over
 * every state (including Map and Parallel sub-machines), and placeholder substitution.
 */
import { arn } from '../arn.js';
import { InvalidDefinition } from './errors.js';

/** A state as the service reads it; every other field is carried through untouched. */
export interface AslState {
  Type?: unknown;
  Resource?: unknown;
  Parameters?: unknown;
  TimeoutSeconds?: unknown;
  HeartbeatSeconds?: unknown;
  Seconds?: unknown;
  SecondsPath?: unknown;
  Retry?: unknown;
  Catch?: unknown;
  Branches?: unknown;
  ItemProcessor?: unknown;
  Iterator?: unknown;
  [field: string]: unknown;
}

export interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMachine(value: unknown): value is AslMachine {
  return isRecord(value) && typeof value.StartAt === 'string' && isRecord(value.States);
}

/** The sub-machines of a Map or Parallel state. */
export function childMachines(state: AslState): AslMachine[] {
  const children: unknown[] = [];
  if (Array.isArray(state.Branches)) children.push(...state.Branches);
  if (state.ItemProcessor !== undefined) children.push(state.ItemProcessor);
  if (state.Iterator !== undefined) children.push(state.Iterator);
  return children.filter(isMachine);
}

/** Calls `visit` for every state of `machine` and of its nested machines, parents first. */
export function forEachState(machine: AslMachine, visit: (name: string, state: AslState) => void): void {
  for (const [name, state] of Object.entries(machine.States)) {
    visit(name, state);
    for (const child of childMachines(state)) forEachState(child, visit);
  }
}

/** The local stand-in for the function ARN behind a `${Name}` placeholder. */
export function localFunctionArn(placeholder: string): string {
  return arn('lambda', `function:${placeholder}`);
}

/**
 * Replaces each `${Name}` with the local function ARN for `Name`, as CDK's definitionSubstitutions
 * would with a real ARN. A placeholder with no substitution is a definition error.
 */
export function substitutePlaceholders(definition: string, names: ReadonlySet<string>): string {
  return definition.replace(/\$\{([^}]*)\}/g, function substitute(_match, name: string) {
    if (!names.has(name)) {
      throw new InvalidDefinition(
        `Invalid State Machine Definition: 'the placeholder \${${name}} has no substitution'`,
      );
    }
    return localFunctionArn(name);
  });
}

/** Parses a definition string into a machine, or throws {@link InvalidDefinition}. */
export function parseMachine(definition: string): AslMachine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (error) {
    throw new InvalidDefinition(
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${String(error)}'`,
      {
        cause: error,
      },
    );
  }
  if (!isMachine(parsed)) {
    throw new InvalidDefinition("Invalid State Machine Definition: 'a definition needs StartAt and States'");
  }
  return parsed;
}

/** Names and types of every state, nested ones included (asl-validator keeps names unique). */
export function stateTypes(machine: AslMachine): Map<string, string> {
  const types = new Map<string, string>();
  forEachState(machine, function record(name, state) {
    types.set(name, typeof state.Type === 'string' ? state.Type : 'Unknown');
  });
  return types;
}
