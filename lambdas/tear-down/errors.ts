/** Tear-down ran out of time with resources still up; the message lists them. Retried by the workflow. */
export class TearDownIncomplete extends Error {
  override name = 'TearDownIncomplete';
}
