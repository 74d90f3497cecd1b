/** A Secrets Manager stand-in for the notifier's tests: no SDK, no AWS. */
import type { GetSecretValue } from '../../lambdas/notify/delivery/webhook-secret.js';

/** The ARN the stand-in holds a value for; any other secret is missing. */
export const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:scalelab/slack-webhook-AbCdEf';

/** A Secrets Manager stand-in that holds one secret and counts the lookups. */
export function secretsManager(value: string): GetSecretValue & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (secretId: string) => {
    calls.push(secretId);
    if (secretId !== SECRET_ARN)
      throw Object.assign(new Error('Secrets Manager can’t find the specified secret.'), {
        name: 'ResourceNotFoundException',
      });
    return { SecretString: value };
  };
  return Object.assign(lookup, { calls });
}
