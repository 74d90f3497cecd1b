/**
 * The lab ran to its end but an expectation did not hold. No handler throws it: the workflow's
 * final Fail state carries it with the verdict's reason as cause; defined here so the name has one
 * home that tests check the ASL against.
 */
export class LabVerdictFail extends Error {
  override name = 'LabVerdictFail';
}
