import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { InvalidHandlerInput, WorkflowError } from '../../lab/workflow-errors.js';

/** The Lambda context with the parsed input. */
export interface InputContext<TInput> extends Context {
  input: TInput;
}

/**
 * Parses the event at the boundary and puts the result on `context.input`; anything the parser
 * throws becomes {@link InvalidHandlerInput} naming the step, with the parser's error as cause
 * (other workflow errors, such as InvalidLabConfig, keep their own name: the ASL catches them by it).
 */
export function parseInput<TInput>(
  step: string,
  parse: (event: unknown) => TInput,
): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    name: 'parseInput',
    before: function parseEvent(request) {
      try {
        Object.assign(request.context, { input: parse(request.event) });
      } catch (error) {
        if (error instanceof WorkflowError && !(error instanceof InvalidHandlerInput)) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new InvalidHandlerInput(`${step}: the input cannot be read: ${reason}`, { cause: error });
      }
    },
  };
}
