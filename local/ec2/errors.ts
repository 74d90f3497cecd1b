/** EC2's InvalidInstanceID.NotFound: no such instance. */
export class InvalidInstanceIdNotFound extends Error {
  override name = 'InvalidInstanceID.NotFound';
}

/** EC2's IncorrectInstanceState: the operation does not apply to the instance's current state. */
export class IncorrectInstanceState extends Error {
  override name = 'IncorrectInstanceState';
}

/** EC2's InvalidParameterValue: a parameter's value is not one EC2 accepts (e.g. an unknown instance type). */
export class InvalidParameterValue extends Error {
  override name = 'InvalidParameterValue';
}

/** No loopback address with a free instance port was found. */
export class InsufficientAddressCapacity extends Error {
  override name = 'InsufficientAddressCapacity';
}

/** EC2's InvalidLaunchTemplateName.AlreadyExistsException: the name is taken. */
export class InvalidLaunchTemplateNameAlreadyExists extends Error {
  override name = 'InvalidLaunchTemplateName.AlreadyExistsException';
}

/** EC2's InvalidLaunchTemplateName.NotFoundException: no template of that name. */
export class InvalidLaunchTemplateNameNotFound extends Error {
  override name = 'InvalidLaunchTemplateName.NotFoundException';
}

/** EC2's InvalidLaunchTemplateId.NotFound: no template with that id. */
export class InvalidLaunchTemplateIdNotFound extends Error {
  override name = 'InvalidLaunchTemplateId.NotFound';
}
