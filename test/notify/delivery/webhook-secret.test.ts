import { describe, expect, it } from 'vitest';
import { SLACK_SECRET_ENV, webhookFromSecret } from '../../../lambdas/notify/delivery/webhook-secret.js';
import { SECRET_ARN, secretsManager } from '../secrets-manager.js';

describe('webhookFromSecret', () => {
  it('accepts the URL itself or JSON {"webhookUrl"}, and never quotes a bad value', async () => {
    const env = { [SLACK_SECRET_ENV]: SECRET_ARN };
    const url = 'https://hooks.slack.com/services/T0/B0/token';

    await expect(webhookFromSecret(secretsManager(url), env)).resolves.toBe(url);
    await expect(webhookFromSecret(secretsManager(JSON.stringify({ webhookUrl: url })), env)).resolves.toBe(
      url,
    );
    const bad = webhookFromSecret(secretsManager('not-a-url-but-a-secret'), env);
    await expect(bad).rejects.toMatchObject({ name: 'NotifyMisconfigured' });
    await expect(bad).rejects.not.toThrow('not-a-url-but-a-secret');
  });
});
