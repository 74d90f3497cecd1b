/**
 * The rules of docs/asl-rules.md: the subset of ASL that runs identically on AWS and on
 * the local interpreter. Checked when a state machine is created, together with asl-validator.
 */
import aslValidator from 'asl-validator';
import {
  type AslMachine,
  type AslState,
  forEachState,
  isRecord,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_CALLBACK,
  parseMachine,
} from './definition.js';
import { InvalidDefinition } from './errors.js';

/** One broken rule: the state it is in (or "(top level)") and the rule's name. */
export interface AslRuleViolation {
  state: string;
  rule: string;
  message: string;
}

const TOP_LEVEL = '(top level)';
// asl-validator compiles its JSON schemas on every call (100-400 ms); a definition that passed
// once passes again, so re-creating a state machine (tests, restarts) skips the work.
const validDefinitions = new Set<string>();
const ALLOWED_CONTEXT_PATHS = [
  /^\$\$\.Task\.Token$/,
  /^\$\$\.Execution\.(Name|Id)$/,
  /^\$\$\.Map\.Item(\.|$)/,
];
const UNSUPPORTED_FIELDS = ['Arguments', 'Output', 'Assign'];
const TIMEOUT_ERRORS = ['States.Timeout', 'States.HeartbeatTimeout'];
const WILDCARD_ERRORS = ['States.TaskFailed', 'States.ALL'];

function violation(state: string, rule: string, detail: string): AslRuleViolation {
  return { state, rule, message: `state '${state}' breaks rule '${rule}': ${detail}` };
}

function collectStrings(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (isRecord(value)) for (const item of Object.values(value)) collectStrings(item, into);
  return into;
}

function contextPathViolations(name: string, state: AslState): AslRuleViolation[] {
  const found: AslRuleViolation[] = [];
  const ownFields = { ...state, Branches: undefined, ItemProcessor: undefined, Iterator: undefined };
  for (const text of collectStrings(ownFields, [])) {
    for (const match of text.matchAll(/\$\$(\.[A-Za-z0-9_.]*)?/g)) {
      const path = match[0];
      if (!ALLOWED_CONTEXT_PATHS.some((allowed) => allowed.test(path))) {
        found.push(
          violation(
            name,
            'context-object',
            `uses ${path}; only $$.Task.Token, $$.Execution.Name, $$.Execution.Id and $$.Map.Item.* are allowed`,
          ),
        );
      }
    }
  }
  return found;
}

function errorNamesOf(catcher: unknown): string[] {
  return isRecord(catcher) && Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.map(String) : [];
}

function catchOrderViolations(name: string, state: AslState, isCallback: boolean): AslRuleViolation[] {
  if (!Array.isArray(state.Catch)) return [];
  const catchers = state.Catch.map(errorNamesOf);
  const firstWildcard = catchers.findIndex((names) => names.some((n) => WILDCARD_ERRORS.includes(n)));
  if (firstWildcard < 0) return [];
  const needed = isCallback ? TIMEOUT_ERRORS : ['States.Timeout'];
  return needed
    .filter((error) => !catchers.slice(0, firstWildcard + 1).some((names) => names.includes(error)))
    .map((error) =>
      violation(
        name,
        'catch-timeouts-first',
        `catches ${WILDCARD_ERRORS.join(' / ')} without catching ${error} first`,
      ),
    );
}

function taskViolations(name: string, state: AslState): AslRuleViolation[] {
  const found: AslRuleViolation[] = [];
  const isCallback = state.Resource === LAMBDA_INVOKE_CALLBACK;
  if (state.Resource !== LAMBDA_INVOKE && !isCallback) {
    found.push(
      violation(
        name,
        'task-resource',
        `Resource ${JSON.stringify(state.Resource)} is not lambda:invoke or lambda:invoke.waitForTaskToken`,
      ),
    );
  }
  const functionName = isRecord(state.Parameters) ? state.Parameters.FunctionName : undefined;
  if (typeof functionName !== 'string' || !/^\$\{\w+\}$/.test(functionName)) {
    found.push(
      violation(
        name,
        'task-resource',
        `Parameters.FunctionName must be a substitution placeholder such as \${ValidateFunctionArn}`,
      ),
    );
  }
  if ('TimeoutSecondsPath' in state || 'HeartbeatSecondsPath' in state) {
    found.push(
      violation(
        name,
        'explicit-timeouts',
        'TimeoutSecondsPath / HeartbeatSecondsPath escape time scaling; use numbers',
      ),
    );
  }
  if (typeof state.TimeoutSeconds !== 'number') {
    found.push(violation(name, 'explicit-timeouts', 'every Task needs an explicit TimeoutSeconds'));
  }
  if (isCallback) {
    const heartbeat = state.HeartbeatSeconds;
    if (
      typeof heartbeat !== 'number' ||
      typeof state.TimeoutSeconds !== 'number' ||
      heartbeat >= state.TimeoutSeconds
    ) {
      found.push(
        violation(name, 'explicit-timeouts', 'a callback Task needs HeartbeatSeconds < TimeoutSeconds'),
      );
    }
  }
  found.push(...catchOrderViolations(name, state, isCallback));
  return found;
}

function stateViolations(name: string, state: AslState): AslRuleViolation[] {
  const found: AslRuleViolation[] = [];
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONPath') {
    found.push(
      violation(
        name,
        'jsonpath-only',
        `QueryLanguage ${String(state.QueryLanguage)} is not supported locally`,
      ),
    );
  }
  for (const field of UNSUPPORTED_FIELDS) {
    if (field in state)
      found.push(
        violation(name, 'jsonpath-only', `${field} is JSONata/variables, ignored by the local interpreter`),
      );
  }
  const catchers = Array.isArray(state.Catch) ? state.Catch : [];
  if (state.ResultPath === '$' || catchers.some((c) => isRecord(c) && c.ResultPath === '$')) {
    found.push(
      violation(
        name,
        'no-result-path-root',
        'ResultPath "$" hits a local interpreter bug; omit ResultPath instead',
      ),
    );
  }
  if (state.Type === 'Task') found.push(...taskViolations(name, state));
  if (state.Type === 'Wait' && ('Timestamp' in state || 'TimestampPath' in state)) {
    found.push(
      violation(
        name,
        'wait-seconds-only',
        'Wait must use Seconds or SecondsPath (Timestamp escapes time scaling)',
      ),
    );
  }
  found.push(...contextPathViolations(name, state));
  return found;
}

/** Every way `machine` breaks the rules of docs/asl-rules.md; an empty list means it follows them. */
export function checkAslRules(machine: AslMachine): AslRuleViolation[] {
  const found: AslRuleViolation[] = [];
  if (machine.QueryLanguage !== undefined && machine.QueryLanguage !== 'JSONPath') {
    found.push(
      violation(
        TOP_LEVEL,
        'jsonpath-only',
        `QueryLanguage ${String(machine.QueryLanguage)} is not supported locally`,
      ),
    );
  }
  forEachState(machine, function check(name, state) {
    found.push(...stateViolations(name, state));
  });
  return found;
}

/**
 * Parses a definition (placeholders already substituted), runs asl-validator on a deep copy (it
 * mutates its argument) and the asl-rules checks; throws {@link InvalidDefinition} naming each
 * state and rule.
 */
export function validateDefinition(substituted: string, original: string): AslMachine {
  const machine = parseMachine(substituted);
  const cacheKey = `${original}\n${substituted}`;
  if (validDefinitions.has(cacheKey)) return machine;
  const validation = aslValidator(structuredClone(machine), { checkPaths: true, checkArn: true });
  if (!validation.isValid) {
    throw new InvalidDefinition(`Invalid State Machine Definition: '${validation.errorsText('; ')}'`);
  }
  const violations = checkAslRules(parseMachine(original));
  if (violations.length > 0) {
    throw new InvalidDefinition(
      `Invalid State Machine Definition: '${violations.map((v) => v.message).join('; ')}'`,
    );
  }
  validDefinitions.add(cacheKey);
  return machine;
}
