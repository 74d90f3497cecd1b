/**
 * Where the webhook URL comes from on AWS: a Secrets Manager secret (its ARN in
 * `SCALELAB_SLACK_SECRET_ARN`), never code, a template or an environment variable. The lookup
 * goes through {@link GetSecretValue} so tests need no SDK; secrets-manager-sdk.ts is the one
 * place the SDK is loaded.
 */
import { NotifyMisconfigured } from './errors.js';

/** The environment variable holding the secret's ARN (or name). */
export const SLACK_SECRET_ENV = 'SCALELAB_SLACK_SECRET_ARN';

/** Secrets Manager's GetSecretValue, reduced to what the notifier reads. */
export type GetSecretValue = (secretId: string) => Promise<{ SecretString?: string }>;

function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The webhook URL in a secret's value: the URL itself, or JSON with a `webhookUrl` (or `url`)
 * field, as the console's key/value editor stores it. Errors never quote the value.
 */
export function parseWebhookSecret(value: string | undefined, secretId: string): string {
  let candidate = (value ?? '').trim();
  if (candidate.startsWith('{')) {
    try {
      const parsed = JSON.parse(candidate) as Record<string, unknown>;
      const field = parsed.webhookUrl ?? parsed.url;
      candidate = typeof field === 'string' ? field.trim() : '';
    } catch {
      candidate = '';
    }
  }
  if (!isWebhookUrl(candidate)) {
    throw new NotifyMisconfigured(
      `the secret ${secretId} holds no webhook URL: store the URL itself, or JSON {"webhookUrl": "https://hooks.slack.com/…"}`,
    );
  }
  return candidate;
}

/**
 * True for GetSecretValue's answer on a secret that exists but has no value yet, as the operator
 * stack creates it: Secrets Manager answers ResourceNotFoundException "can't find the specified
 * secret value for staging label: AWSCURRENT" (a missing secret says "can't find the specified
 * secret." instead, and stays an error).
 */
function isSecretWithoutValue(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ResourceNotFoundException' &&
    /secret value for staging label/i.test(error.message)
  );
}

/**
 * Reads the webhook URL from the secret named in the environment: undefined while the secret has
 * no value yet (Slack is simply not set up), NotifyMisconfigured when there is no secret or its
 * value is not a webhook URL.
 */
export async function webhookFromSecret(
  getSecretValue: GetSecretValue,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const secretId = env[SLACK_SECRET_ENV];
  if (!secretId) {
    throw new NotifyMisconfigured(
      `${SLACK_SECRET_ENV} is not set: the notifier cannot find the webhook secret`,
    );
  }
  try {
    const { SecretString } = await getSecretValue(secretId);
    return parseWebhookSecret(SecretString, secretId);
  } catch (error) {
    if (isSecretWithoutValue(error)) return undefined;
    throw error;
  }
}
