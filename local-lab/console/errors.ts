/** The console's refusals: each answers with its own HTTP status and words a person can act on. */
import type { FieldErrors } from '../../console/model/console-api.js';

/** An action refused with a reason a person can act on; `status` is the HTTP status to answer. */
export class ConsoleRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleRefusal';
  }
}

/** A start refused field by field (as the form shows it, beside each field). */
export class StartRefused extends Error {
  constructor(
    readonly status: number,
    readonly fields: FieldErrors['errors'],
  ) {
    super(Object.values(fields).join('; '));
    this.name = 'StartRefused';
  }
}

/** A request the console does not take (a path it lacks, a method a path does not take, a body it cannot read). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
