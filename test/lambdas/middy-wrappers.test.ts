import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { HANDLERS } from '../../lambdas/index.js';
import { DEPLOYED_CONFIG_ENV, deployedConfigEnvironment } from '../../lambdas/middy/deployed-config.js';
import { localLambdaContext, localScalingEventTarget, localTaskHandlers } from '../../local-lab/handlers.js';
import { FakeCloud, fakeLoadBalancers } from './fake-cloud.js';

const config = parseLabConfig({});
const base = { executionId: 'arn:exec:1', executionName: 'run-1', lab: { config } };

describe('the Middy wrappers', () => {
  it('log one JSON line on start and success, inject the cloud and announce the phase', async () => {
    const cloud = new FakeCloud();
    const lines: string[] = [];
    const handler = HANDLERS.ProvisionFunctionArn.create({
      cloud,
      log: (l) => lines.push(l),
      deployedConfig: config,
    });

    const out = await handler(structuredClone(base), localLambdaContext('Provision'));

    expect(out).toMatchObject({ group: { desiredCapacity: 1 } });
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'info',
        step: 'provision',
        message: 'step started',
        executionId: 'arn:exec:1',
      }),
      expect.objectContaining({ level: 'info', step: 'provision', message: 'step succeeded' }),
    ]);
    expect(cloud.events[0]).toMatchObject({
      detailType: 'Lab Phase Changed',
      detail: { phase: 'provision', executionName: 'run-1' },
    });
  });

  it('turn an unreadable event into InvalidHandlerInput naming the step and field, and log it', async () => {
    const lines: string[] = [];
    const handler = HANDLERS.CheckHealthFunctionArn.create({
      cloud: new FakeCloud(),
      log: (l) => lines.push(l),
      deployedConfig: config,
    });

    const call = handler({ ...base, health: {} }, localLambdaContext('CheckHealth'));

    await expect(call).rejects.toMatchObject({
      name: 'InvalidHandlerInput',
      message: expect.stringContaining('check-health: the input cannot be read'),
    });
    await expect(handler({ ...base, health: {} }, localLambdaContext('CheckHealth'))).rejects.toThrow(
      'attempt must be a number',
    );
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({
      level: 'error',
      error: { name: 'InvalidHandlerInput' },
    });
  });

  it('keep InvalidLabConfig as the error name the workflow catches', async () => {
    const handler = HANDLERS.ValidateFunctionArn.create({
      cloud: new FakeCloud(),
      log: () => undefined,
      deployedConfig: config,
    });

    await expect(
      handler(
        { executionId: 'e', executionName: 'n', input: { config: { timeScale: -1 } } },
        localLambdaContext('V'),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLabConfig' });
  });

  it('read the deployed configuration from the environment on Lambda, and refuse to run without it', async () => {
    const event = { executionId: 'e', executionName: 'n', input: {} };
    const saved = process.env[DEPLOYED_CONFIG_ENV];
    try {
      delete process.env[DEPLOYED_CONFIG_ENV];
      const unconfigured = HANDLERS.ValidateFunctionArn.create({
        cloud: new FakeCloud(),
        log: () => undefined,
      });
      await expect(unconfigured(event, localLambdaContext('V'))).rejects.toMatchObject({
        name: 'CloudMisconfigured',
      });

      Object.assign(process.env, deployedConfigEnvironment(parseLabConfig({ section2: { maxSize: 4 } })));
      const handler = HANDLERS.ValidateFunctionArn.create({ cloud: new FakeCloud(), log: () => undefined });

      expect(await handler(event, localLambdaContext('V'))).toMatchObject({
        config: { section2: { maxSize: 4 } },
      });
    } finally {
      if (saved === undefined) delete process.env[DEPLOYED_CONFIG_ENV];
      else process.env[DEPLOYED_CONFIG_ENV] = saved;
    }
  });

  it('hold the clock while arm-observer runs (no simulated time between a round and its token), not while provision does', async () => {
    const cloud = new FakeCloud();
    const holds: string[] = [];
    const holdClock = () => {
      holds.push('held');
      return () => void holds.push('released');
    };
    const local = localTaskHandlers({ cloud, log: () => undefined, deployedConfig: config, holdClock });

    await local.ProvisionFunctionArn(base);
    const provisionHolds = holds.length;
    await local.ArmObserverFunctionArn({
      ...base,
      token: 't',
      expectation: 'scale-out',
      since: cloud.now(),
      coolDownUntil: 0,
    });

    expect(provisionHolds).toBe(0);
    expect(holds).toEqual(['held', 'released']);
  });

  it('run every workflow step and the event target locally through one wrapper each', async () => {
    const cloud = new FakeCloud();
    const { fetch } = fakeLoadBalancers();
    const quiet = () => undefined;
    const local = localTaskHandlers({ cloud, fetch, log: quiet, deployedConfig: config });
    const event = localScalingEventTarget({ cloud, fetch, log: quiet, deployedConfig: config });

    const validated = (await local.ValidateFunctionArn({
      executionId: base.executionId,
      executionName: base.executionName,
      input: {},
    })) as object;
    await local.ProvisionFunctionArn(base);
    expect(await local.CheckHealthFunctionArn({ ...base, health: { attempt: 0 } })).toMatchObject({
      healthy: true,
    });
    expect(await local.VerifyLoadBalancingFunctionArn(base)).toMatchObject({ spreadHeld: true });
    const stress = (await local.StartStressFunctionArn(base)) as { startedAt: number; endsAt: number };
    expect(
      await local.ArmObserverFunctionArn({
        ...base,
        token: 't',
        expectation: 'scale-in',
        since: stress.endsAt,
        coolDownUntil: 0,
      }),
    ).toMatchObject({ atArming: 'completed' });
    expect(
      await event({
        'detail-type': 'EC2 Instance Launch Successful',
        source: 'aws.autoscaling',
        detail: { AutoScalingGroupName: 'scalelab-serve' },
      }),
    ).toEqual({ actions: {}, instance: 'none' });
    expect(await local.TearDownFunctionArn({ ...base, state: {} })).toMatchObject({ clean: true });
    expect(await local.VerdictFunctionArn({ ...base, state: { lab: validated } })).toMatchObject({
      verdict: 'FAIL',
    });
  });
});
