/** Auto Scaling's ValidationError: a parameter is out of range or inconsistent. */
export class ValidationError extends Error {
  override name = 'ValidationError';
}

/** Auto Scaling's AlreadyExists: a group with that name exists. */
export class AlreadyExistsFault extends Error {
  override name = 'AlreadyExists';
}

/** Auto Scaling's LimitExceeded: a quota such as lifecycle hooks per group is reached. */
export class LimitExceededFault extends Error {
  override name = 'LimitExceeded';
}
