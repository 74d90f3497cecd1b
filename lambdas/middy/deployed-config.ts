/**
 * The deployed lab configuration on Lambda: the operator stack puts the very configuration the lab
 * stack was built from, as JSON, in one environment variable of every lab function. Locally the
 * handlers are given it instead (HandlerOptions.deployedConfig).
 */
import { type LabConfig, parseLabConfig } from '../../lab/config.js';
import { CloudMisconfigured } from '../../lab/workflow-errors.js';

/** The environment variable holding the deployed configuration, as JSON. */
export const DEPLOYED_CONFIG_ENV = 'SCALELAB_DEPLOYED_CONFIG';

/** The environment a lab function needs for `config`: what the stack sets. */
export function deployedConfigEnvironment(config: LabConfig): Record<string, string> {
  return { [DEPLOYED_CONFIG_ENV]: JSON.stringify(config) };
}

/**
 * Reads the deployed configuration from {@link DEPLOYED_CONFIG_ENV}. A missing or bad one is a
 * deployment error ({@link CloudMisconfigured}), never a reason to fall back to the defaults: a
 * lab deployed with `maxSize: 4` must not run with 3.
 */
export function deployedConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LabConfig {
  const text = env[DEPLOYED_CONFIG_ENV];
  if (!text) {
    throw new CloudMisconfigured(
      `the handlers need the environment variable ${DEPLOYED_CONFIG_ENV} (the deployed lab configuration, as JSON)`,
    );
  }
  try {
    return parseLabConfig(JSON.parse(text));
  } catch (error) {
    throw new CloudMisconfigured(
      `${DEPLOYED_CONFIG_ENV} does not hold a valid lab configuration: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
