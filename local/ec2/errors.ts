/** EC2's InvalidInstanceID.NotFound: no such instance. */
export class InvalidInstanceIdNotFound extends Error {
  override name = 'InvalidInstanceID.NotFound';
}

/** EC2's IncorrectInstanceState: the operation does not apply to the instance's current state. */
export class IncorrectInstanceState extends Error {
  override name = 'IncorrectInstanceState';
}

/** No loopback address with a free instance port was found. */
export class InsufficientAddressCapacity extends Error {
  override name = 'InsufficientAddressCapacity';
}
