/**
 * Errors every handler may throw. Their `name` is the error name the ASL's Retry / Catch match
 * (the lambda:invoke integration reports a thrown error by its name), so renaming one is a
 * change to the workflow's contract: test/state-machines checks every name the ASL uses exists.
 */

/** The lab configuration (or an override of it) is invalid; the message names the field. */
export class InvalidLabConfig extends Error {
  override name = 'InvalidLabConfig';
}

/** A handler received an event it cannot read; the message names the handler and the field. */
export class InvalidHandlerInput extends Error {
  override name = 'InvalidHandlerInput';
}

/** A call to the cloud (AWS or local) failed in a way worth retrying: throttling, a 5xx, a reset. */
export class TransientCloudError extends Error {
  override name = 'TransientCloudError';
}

/** The Cloud adapter is missing something it needs (an environment variable, a resource). */
export class CloudMisconfigured extends Error {
  override name = 'CloudMisconfigured';
}
