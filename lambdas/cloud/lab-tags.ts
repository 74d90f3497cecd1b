/**
 * The tags that mark the section-1 instances. The lab stack puts them on the instances, the aws
 * adapter finds the instances by them at run time, and the operator's Start/StopInstances grants
 * are scoped by them: a redeploy that replaces the instances (a new AMI, a new app bundle)
 * changes their ids, never their tags, so the operator needs no redeploy.
 */

/** The lab stack's name, fixed: one lab per account and region (the CDK app and the local lab). */
export const LAB_STACK_NAME = 'ScalelabLab';

/** Names the lab stack (one lab per account and region: the stack names are fixed). */
export const LAB_STACK_TAG = 'scalelab:stack';
/** `1` on the section-1 instances. */
export const SECTION_TAG = 'scalelab:section';

/** The tags of the section-1 instances of the lab stack named `labStackName`. */
export function section1Tags(labStackName: string): Readonly<Record<string, string>> {
  return { [LAB_STACK_TAG]: labStackName, [SECTION_TAG]: '1' };
}
