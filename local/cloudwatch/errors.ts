/** The process (the root of an instance's tree) no longer exists. */
export class ProcessGoneError extends Error {
  override name = 'ProcessGoneError';
}

/** CPU accounting is not available here (no Linux /proc). */
export class CpuAccountingUnavailableError extends Error {
  override name = 'CpuAccountingUnavailableError';
}

/** AWS's InvalidParameterValue: a metric query or alarm setting CloudWatch would refuse. */
export class InvalidParameterValueError extends Error {
  override name = 'InvalidParameterValueError';
}
