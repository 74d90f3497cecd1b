import { describe, expect, it } from 'vitest';
import { INSTANCE_TYPES } from '../../lab/aws-facts.js';
import { DEFAULT_LAB_CONFIG, parseLabConfig } from '../../lab/config.js';
import { STRESS_BOUNDS } from '../../node-app/stress/stress-request.js';

describe('the lab configuration', () => {
  it("defaults to the seed lab's values", () => {
    const config = parseLabConfig({});

    expect(config.section1).toMatchObject({ instanceCount: 2, app: 'seed', port: 5000 });
    expect(config.section2).toMatchObject({
      minSize: 0,
      maxSize: 3,
      desiredCapacity: 1,
      targetCpuPercent: 50,
      instanceWarmupSeconds: 300,
      cooldownSeconds: 300,
      port: 5000,
    });
    expect(config.healthCheck).toMatchObject({ path: '/', port: 5000 });
    expect(config).toMatchObject({ instanceType: 't3.micro', profile: 'local', instanceBootSeconds: 60 });
    expect(config).toEqual(DEFAULT_LAB_CONFIG);
  });

  it('merges overrides over the defaults and returns a copy it does not share', () => {
    const config = parseLabConfig({ section2: { maxSize: 4 }, stress: { seconds: 900 } });

    expect(config.section2.maxSize).toBe(4);
    expect(config.section2.minSize).toBe(0);
    expect(config.stress).toEqual({ seconds: 900, cpuPercent: 80 });
    config.section1.requestCount = 1;
    expect(DEFAULT_LAB_CONFIG.section1.requestCount).toBe(20);
    expect(Object.isFrozen(DEFAULT_LAB_CONFIG.section1)).toBe(true);
  });

  it('allows only instance types the stress can fill: one serve-app worker per vCPU', () => {
    for (const [name, { vcpus }] of Object.entries(INSTANCE_TYPES)) {
      expect(vcpus, name).toBeGreaterThanOrEqual(STRESS_BOUNDS.workers.min);
      expect(vcpus, name).toBeLessThanOrEqual(STRESS_BOUNDS.workers.max);
    }
  });

  it.each([
    [
      { section2: { maxSize: 0, minSize: 1 } },
      'section2.maxSize must be >= section2.minSize (got max 0, min 1)',
    ],
    [{ section2: { maxSise: 3 } }, 'section2.maxSise is not a configuration field'],
    // The misspelt field, not the rule its default then breaks (maxSize 3 < minSize 4).
    [
      { section2: { minSize: 4, maxSise: 5 } },
      'section2.maxSise is not a configuration field (known: app, port, loadBalancerName,',
    ],
    [{ section1: { instanceCount: '2' } }, 'section1.instanceCount must be a number, got "2"'],
    [
      { healthCheck: { intervalSeconds: 4 } },
      'healthCheck.intervalSeconds must be an integer from 5 to 300 (got 4)',
    ],
    [
      { healthCheck: { timeoutSeconds: 10 } },
      'healthCheck.timeoutSeconds must be below healthCheck.intervalSeconds',
    ],
    [{ healthCheck: { matcher: 'ok' } }, 'healthCheck.matcher must be HTTP codes'],
    [{ stress: { cpuPercent: 101 } }, 'stress.cpuPercent must be an integer from 1 to 100 (got 101)'],
    [{ stress: { workers: 2 } }, 'stress.workers is not a configuration field (known: seconds, cpuPercent)'],
    [
      { instanceType: 'm5.large' },
      'instanceType must be one of t2.micro, t3.micro, t3.small, t3a.micro, t4g.micro (got "m5.large")',
    ],
    [{ profile: 'gcp' }, 'profile must be one of local, aws (got "gcp")'],
    [{ section2: { desiredCapacity: 4 } }, 'section2.desiredCapacity must be within [minSize, maxSize]'],
    [{ section2: { scaleOutTo: 1 } }, 'section2.scaleOutTo must be above desiredCapacity'],
    [{ section2: { scaleOutTo: 2.5 } }, 'section2.scaleOutTo must be an integer from 1 to 10 (got 2.5)'],
    [
      { section1: { instanceCount: 5, requestCount: 3 } },
      'section1.requestCount must be >= section1.instanceCount (got requestCount 3, instanceCount 5)',
    ],
    [
      { timeouts: { healthySeconds: 5 } },
      'timeouts.healthPollSeconds must be at most timeouts.healthySeconds (got poll 10, healthy 5)',
    ],
    [{ healthCheck: { path: 'health' } }, 'healthCheck.path must start with "/"'],
    [{ section1: { app: 'serve' } }, 'section1.app must be "seed" (got "serve")'],
    [{ timeScale: 0 }, 'timeScale must be a number from 0.001 to 10000 (got 0)'],
    [{ section1: 3 }, 'section1 must be an object, got 3'],
    ['fast', 'configuration must be an object, got "fast"'],
  ])('refuses %j naming the field', (input, message) => {
    expect(() => parseLabConfig(input)).toThrow(expect.objectContaining({ name: 'InvalidLabConfig' }));
    expect(() => parseLabConfig(input)).toThrow(message);
  });
});
