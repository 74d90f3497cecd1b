/**
 * The local cloud's one account and region, and the one way its ARNs are built: every emulated
 * service names its resources through {@link arn}, so the whole cloud is one fake account.
 */

/** The account every local resource belongs to (LocalStack's and the AWS docs' test account). */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** The region every local resource lives in. */
export const LOCAL_REGION = 'us-east-1';
/** The one Availability Zone local subnets and instances are in. */
export const LOCAL_AVAILABILITY_ZONE = `${LOCAL_REGION}a`;

/**
 * `arn:aws:<service>:<region>:<account>:<resource>`. Global services (IAM) have no region:
 * pass `{ regional: false }`.
 */
export function arn(service: string, resource: string, { regional = true } = {}): string {
  return `arn:aws:${service}:${regional ? LOCAL_REGION : ''}:${LOCAL_ACCOUNT_ID}:${resource}`;
}
