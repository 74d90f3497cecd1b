import { describe, expect, it } from 'vitest';
import { checkLabConfigFields, DEFAULT_LAB_CONFIG, parseLabConfig } from '../../lab/config.js';
import { isPerRunField, mergeOverDeployed, PER_RUN_FIELDS } from '../../lab/config-per-run.js';
import {
  DEPLOYED_CONFIG_ENV,
  deployedConfigEnvironment,
  deployedConfigFromEnv,
} from '../../lambdas/middy/deployed-config.js';

/** Every field of the configuration by its dotted path. */
function fieldPaths(config: object, prefix = ''): string[] {
  return Object.entries(config).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? fieldPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('which fields an execution may change', () => {
  it('lists only fields the configuration has, and leaves the resources fixed at deploy', () => {
    const fields = fieldPaths(DEFAULT_LAB_CONFIG);

    expect(fields).toEqual(expect.arrayContaining(Object.keys(PER_RUN_FIELDS)));
    for (const fixed of [
      'section1.instanceCount',
      'section1.loadBalancerName',
      'section2.minSize',
      'section2.maxSize',
      'section2.desiredCapacity',
      'section2.targetCpuPercent',
      'healthCheck.intervalSeconds',
      'deregistrationDelaySeconds',
      'instanceBootSeconds',
      'timeScale',
    ]) {
      expect(fields).toContain(fixed);
      expect(isPerRunField(fixed)).toBe(false);
    }
    expect(isPerRunField('section2')).toBe(false); // a section is no field
  });

  it('merges per-run overrides over the deployed configuration, whose rules they then meet', () => {
    const deployed = parseLabConfig({ section2: { maxSize: 4 } });

    const config = mergeOverDeployed(deployed, { section2: { scaleOutTo: 4 }, stress: { seconds: 60 } });

    expect(config).toEqual(
      parseLabConfig({ section2: { maxSize: 4, scaleOutTo: 4 }, stress: { seconds: 60 } }),
    );
    expect(deployed.section2.scaleOutTo).toBe(2);
    expect(() => mergeOverDeployed(DEFAULT_LAB_CONFIG, { section2: { scaleOutTo: 4 } })).toThrow(
      'section2.scaleOutTo must be above desiredCapacity and at most maxSize (got 4, desired 1, max 3)',
    );
  });

  it('accepts a field fixed at deploy when it repeats the deployed value', () => {
    const deployed = parseLabConfig({ section1: { instanceCount: 3, requestCount: 30 }, timeScale: 60 });

    expect(mergeOverDeployed(deployed, deployed)).toEqual(deployed);
    expect(mergeOverDeployed(deployed, { section1: { instanceCount: 3 }, timeScale: 60 })).toEqual(deployed);
  });

  it.each([
    [{ section1: { instanceCount: 3 } }, 'section1.instanceCount', '2', '3'],
    [{ section2: { desiredCapacity: 2, scaleOutTo: 3 } }, 'section2.desiredCapacity', '1', '2'],
    [{ healthCheck: { path: '/health' } }, 'healthCheck.path', '"/"', '"/health"'],
    [{ timeScale: 60 }, 'timeScale', '20', '60'],
    [{ section2: { maxSize: '3' } }, 'section2.maxSize', '3', '"3"'],
  ])('refuses %j naming the field fixed at deploy', (overrides, field, deployed, asked) => {
    expect(() => mergeOverDeployed(DEFAULT_LAB_CONFIG, overrides)).toThrow(
      `${field} is fixed at deploy (the lab was deployed with ${deployed}, the input asks for ${asked})`,
    );
  });

  it('refuses what the schema refuses, naming the field', () => {
    expect(() => mergeOverDeployed(DEFAULT_LAB_CONFIG, { section2: { maxSiz: 4 } })).toThrow(
      /^section2\.maxSiz is not a configuration field/,
    );
    expect(() => mergeOverDeployed(DEFAULT_LAB_CONFIG, JSON.parse('{"__proto__": {"x": 1}}'))).toThrow(
      /^__proto__ is not a configuration field/,
    );
    expect(() => mergeOverDeployed(DEFAULT_LAB_CONFIG, { stress: 5 })).toThrow(
      'stress must be an object, got 5',
    );
    expect(() => mergeOverDeployed(DEFAULT_LAB_CONFIG, [])).toThrow('config must be an object, got []');
  });
});

describe('checking overrides before the deployed configuration is known', () => {
  it('refuses unknown fields and values out of their own bounds, leaving rules between fields to Validate', () => {
    expect(() => checkLabConfigFields({ section2: { scaleOutTo: 4 } })).not.toThrow();
    expect(() => checkLabConfigFields({ section2: { maxSize: 11 } })).toThrow(
      'section2.maxSize must be an integer from 0 to 10 (got 11)',
    );
    expect(() => checkLabConfigFields({ sektion2: {} })).toThrow(/^sektion2 is not a configuration field/);
  });
});

describe('the deployed configuration in the environment', () => {
  it('is the configuration as JSON, read back as it was', () => {
    const config = parseLabConfig({ section2: { maxSize: 4 } });

    expect(deployedConfigFromEnv(deployedConfigEnvironment(config))).toEqual(config);
  });

  it('is a deployment error when missing or invalid, never the defaults', () => {
    expect(() => deployedConfigFromEnv({})).toThrow(
      expect.objectContaining({
        name: 'CloudMisconfigured',
        message: expect.stringContaining(DEPLOYED_CONFIG_ENV),
      }),
    );
    expect(() => deployedConfigFromEnv({ [DEPLOYED_CONFIG_ENV]: '{"section2": {"maxSize": -1}}' })).toThrow(
      `${DEPLOYED_CONFIG_ENV} does not hold a valid lab configuration: section2.maxSize must be an integer from 0 to 10`,
    );
    expect(() => deployedConfigFromEnv({ [DEPLOYED_CONFIG_ENV]: '{' })).toThrow(
      expect.objectContaining({ name: 'CloudMisconfigured' }),
    );
  });
});
