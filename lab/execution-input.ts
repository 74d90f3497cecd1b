/**
 * The checks an execution input gets before anything starts, worded once for every door an
 * execution comes in by (`scalelab start`'s options, the console's form): the caller names the
 * field in front of each message.
 */
import { checkLabConfigFields } from './config.js';
import { InvalidLabConfig } from './workflow-errors.js';

/** Why `text` is not a JSON document ("is not JSON: …"), or undefined when it is one. */
export function notJsonReason(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `is not JSON: ${(error as Error).message}`;
  }
}

/**
 * Why the lab configuration overrides `config` cannot run ("invalid lab configuration: …", the
 * first field that is unknown or out of its bounds), or undefined when each field is fine on its
 * own. The rules between fields and what is fixed at deploy are Validate's (config-per-run.ts).
 */
export function labOverridesProblem(config: unknown): string | undefined {
  try {
    checkLabConfigFields(config);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidLabConfig) return `invalid lab configuration: ${error.message}`;
    throw error;
  }
}
