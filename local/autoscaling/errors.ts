/** Auto Scaling's ValidationError: a parameter is out of range or inconsistent. */
export class ValidationError extends Error {
  override name = 'ValidationError';
}

/** Auto Scaling's AlreadyExists: a group with that name exists. */
export class AlreadyExistsFault extends Error {
  override name = 'AlreadyExists';
}
