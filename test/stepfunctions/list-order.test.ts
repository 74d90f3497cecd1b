import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { fixture, type Harness, harness } from './harness.js';

describe('ListExecutions order', () => {
  const opened: Harness[] = [];
  afterEach(async () => {
    for (const h of opened.splice(0).reverse()) await h.close();
  });

  it('lists newest first by real start, not by simulated dates of sessions at other time scales', async () => {
    // Prepare: a fast session runs minutes ahead of real time, then a later session at ×1 starts on
    // the same state directory.
    const fast = harness(10_000);
    const dir = fast.stateDir;
    const arn = fast.machine('basics');
    await waitFor(() => fast.clock.now() > Date.now() + 600_000, { what: 'simulated time 10 min ahead' });
    fast.service.startExecution({ stateMachineArn: arn, name: 'earlier', input: '{}' });
    await fast.service.whenSettled(`${arn.replace(':stateMachine:', ':execution:')}:earlier`);
    await fast.service.close();
    const slow = harness(1, dir);
    opened.push(slow);
    slow.service.updateStateMachine({
      stateMachineArn: arn,
      definition: fixture('basics'),
      substitutions: {},
    });
    slow.service.startExecution({ stateMachineArn: arn, name: 'later', input: '{}' });

    // Act
    const listed = slow.service.listExecutions({ stateMachineArn: arn }).executions ?? [];

    // Assess: the later one first, though its simulated start is minutes before the earlier one's.
    expect(listed.map(({ name }) => name)).toEqual(['later', 'earlier']);
    const [later, earlier] = listed;
    expect(later?.startDate?.getTime()).toBeLessThan(earlier?.startDate?.getTime() ?? 0);
  });
});
