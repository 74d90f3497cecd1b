import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabInventory } from '../../cli/inspect/lab-inventory.js';
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';
import type { LabResetReport } from '../../local-lab/lab-reset.js';
import { DUMMY_CREDENTIALS } from '../api/harness.js';
import { QUICK_UP, readyOf, startUp, type UpLab } from '../api/up-lab.js';
import { stopChild } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';
import { scalelab } from './executions/helpers.js';

let lab: UpLab | undefined;
afterEach(async () => {
  if (lab) await stopChild(lab.child, 'SIGKILL');
  lab = undefined;
});

/** `scalelab reset` against `scalelab up`: the lab back up as `up` started it, with fresh instances. */
describe('scalelab reset against scalelab up', () => {
  it('scales a grown group back and brings section 1 and one fresh group instance up', async () => {
    // Prepare: the group grown to its maximum through the AWS API.
    lab = startUp(QUICK_UP);
    const ready = await readyOf(lab);
    const endpoint = ready.awsEndpoint;
    const inspect = async (): Promise<LabInventory> =>
      JSON.parse((await scalelab(endpoint, ['inspect', '--json'])).stdout) as LabInventory;
    const { maxSize, desiredCapacity, autoScalingGroupName } = DEFAULT_LAB_CONFIG.section2;
    const autoScaling = new AutoScalingClient({
      endpoint,
      region: 'us-east-1',
      credentials: DUMMY_CREDENTIALS,
    });
    try {
      await autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: autoScalingGroupName,
          DesiredCapacity: maxSize,
        }),
      );
    } finally {
      autoScaling.destroy();
    }
    const grown = await waitFor(
      async () => {
        const inventory = await inspect();
        const inService = inventory.instances.filter((i) => i.lifecycleState === 'InService');
        return inService.length === maxSize ? inventory : undefined;
      },
      { timeoutMs: 60_000, what: `${maxSize} instances in service` },
    );

    // Act
    const result = await scalelab(endpoint, ['reset', '--json']);

    // Assess: every group instance replaced, section 1 restarted, the group at its desired capacity.
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as LabResetReport;
    const idsBefore = (section: string) =>
      grown.instances
        .filter((i) => i.section === section)
        .map(({ instanceId }) => instanceId)
        .sort();
    expect(report.terminated.sort()).toEqual(idsBefore('2'));
    expect(report.stopped.sort()).toEqual(idsBefore('1'));
    expect(report.started.sort()).toEqual(idsBefore('1'));
    expect(report.group).toMatchObject({ desiredCapacity });
    const after = await inspect();
    expect(after.group?.desired).toBe(desiredCapacity);
    expect(after.instances.filter((i) => i.section === '1').map((i) => i.state)).toEqual([
      'running',
      'running',
    ]);
    const section2 = after.instances.filter((i) => i.section === '2');
    expect(section2.map((i) => i.lifecycleState)).toEqual(['InService']);
    expect(idsBefore('2')).not.toContain(section2[0]?.instanceId);

    lab.child.kill('SIGINT');
    expect(await lab.exited).toBe(0);
  }, 120_000);
});
