/**
 * What StartExecution accepts as input, checked before an execution exists: an execution is
 * either refused at the start or runs to a terminal state, never stuck RUNNING.
 */
import { InvalidExecutionInput, ValidationException } from './errors.js';

/**
 * StartExecution's `input` length constraint: 262,144 bytes of UTF-8
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
export const MAX_EXECUTION_INPUT_BYTES = 262_144;

/**
 * Assumption: the deepest nesting of objects and arrays an input may have. AWS documents no such
 * limit, but the local interpreter evaluates paths recursively: ~3,000 levels overflow its stack
 * and ~10,000 left an execution RUNNING forever with no error. 256 levels is far beyond any lab
 * input (the configuration nests 3 deep) and far below where the interpreter breaks.
 */
export const MAX_EXECUTION_INPUT_DEPTH = 256;

/** The nesting depth of JSON text, counted without parsing (so without recursion). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

/**
 * Parses an execution input as AWS would accept it; throws ValidationException for one over the
 * size limit (AWS's constraint wording) and InvalidExecutionInput for invalid or too deep JSON.
 */
export function parseExecutionInput(text: string): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_EXECUTION_INPUT_BYTES) {
    throw new ValidationException(
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EXECUTION_INPUT_BYTES} (got ${bytes} bytes)`,
    );
  }
  const depth = nestingDepth(text);
  if (depth > MAX_EXECUTION_INPUT_DEPTH) {
    throw new InvalidExecutionInput(
      `Invalid Execution Input: the input nests ${depth} levels deep; at most ${MAX_EXECUTION_INPUT_DEPTH} are accepted`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidExecutionInput(
      `Invalid Execution Input: the input is not valid JSON (${String(error)})`,
      {
        cause: error,
      },
    );
  }
}
