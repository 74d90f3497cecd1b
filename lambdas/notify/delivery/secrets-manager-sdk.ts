/**
 * The only file that touches the Secrets Manager SDK. `@aws-sdk/client-secrets-manager` is not a
 * dependency of the project (the Lambda runtime ships the AWS SDK v3, and the functions are
 * bundled with `@aws-sdk/*` external), so it is loaded at run time by name and typed here with
 * the little the notifier uses. Once the package is installed, a static import can replace this.
 */
import type { GetSecretValue } from './webhook-secret.js';

const SDK_MODULE = '@aws-sdk/client-secrets-manager';

interface SecretsManagerSdk {
  SecretsManagerClient: new (
    config: Record<string, never>,
  ) => {
    send(command: unknown): Promise<{ SecretString?: string }>;
  };
  GetSecretValueCommand: new (input: { SecretId: string }) => unknown;
}

/** GetSecretValue through the AWS SDK, the client built once (per cold start) on first use. */
export function sdkGetSecretValue(): GetSecretValue {
  let sdk:
    | Promise<{ module: SecretsManagerSdk; client: InstanceType<SecretsManagerSdk['SecretsManagerClient']> }>
    | undefined;
  return async function getSecretValue(secretId: string) {
    sdk ??= import(SDK_MODULE).then((module: SecretsManagerSdk) => ({
      module,
      client: new module.SecretsManagerClient({}),
    }));
    const { module, client } = await sdk;
    return client.send(new module.GetSecretValueCommand({ SecretId: secretId }));
  };
}
