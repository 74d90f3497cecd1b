import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LifecycleActionResult } from '../../lab/aws-facts.js';
import { LAUNCH_HOOK } from '../../lab/lifecycle-hooks.js';
import { type LifecycleActionInput, ValidationError } from '../../local/autoscaling/index.js';
import { Clock } from '../../local/clock.js';
import type { Instance, InstanceStateChange } from '../../local/ec2/index.js';
import {
  InstanceUserData,
  USER_DATA_ASK_TIMEOUT_SECONDS,
  type UserDataOutcome,
} from '../../local-lab/instance-user-data.js';

const GROUP = 'scalelab-serve';
type Completion = LifecycleActionInput & { lifecycleActionResult: LifecycleActionResult };

/** The EC2 side the user data listens to: state changes a test announces. */
class FakeEc2 {
  private readonly listeners = new Set<(change: InstanceStateChange) => void>();
  onStateChange(listener: (change: InstanceStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  announce(instance: Instance, current: InstanceStateChange['current']): void {
    for (const listener of this.listeners) listener({ instance, previous: undefined, current, time: '' });
  }
  get listening(): number {
    return this.listeners.size;
  }
}

/** Auto Scaling's CompleteLifecycleAction as a test wants it to answer. */
class FakeAutoScaling {
  readonly calls: Completion[] = [];
  answer: (input: Completion) => void = () => undefined;
  completeLifecycleAction(input: Completion): void {
    this.calls.push(input);
    this.answer(input);
  }
}

const servers: http.Server[] = [];
const userDatas: InstanceUserData[] = [];
const clocks: Clock[] = [];

afterEach(async () => {
  await Promise.all(userDatas.splice(0).map((u) => u.close()));
  for (const clock of clocks.splice(0)) clock.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An app on 127.0.0.1, port 0, answering each GET as `respond` says (or never). */
async function app(
  respond: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<http.Server> {
  const server = http.createServer(respond);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function portOf(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

function instance(clock: Clock, id: string, group = GROUP): Instance {
  return {
    instanceId: id,
    app: 'serve',
    privateIpAddress: '127.0.0.1',
    state: 'running',
    status: 'ok',
    launchTime: clock.isoNow(),
    instanceType: 't3.micro',
    vcpus: 2,
    hostCores: 1,
    tags: { 'aws:autoscaling:groupName': group },
  };
}

/** The user data against `server`, with its first outcome and errors collected. */
function userDataFor(server: http.Server, options: { heartbeatTimeoutSeconds?: number } = {}) {
  // 100×: fast, while a few real ms of a busy machine stay a fraction of a simulated second.
  const clock = new Clock({ scale: 100 });
  clocks.push(clock);
  const ec2 = new FakeEc2();
  const autoscaling = new FakeAutoScaling();
  const errors: unknown[] = [];
  let settle: (outcome: UserDataOutcome) => void = () => undefined;
  const outcome = new Promise<UserDataOutcome>((resolve) => {
    settle = resolve;
  });
  const userData = new InstanceUserData({
    clock,
    ec2,
    autoscaling,
    groupName: GROUP,
    hook: {
      ...LAUNCH_HOOK,
      heartbeatTimeoutSeconds: options.heartbeatTimeoutSeconds ?? LAUNCH_HOOK.heartbeatTimeoutSeconds,
    },
    port: portOf(server),
    onOutcome: settle,
    onError: (error) => errors.push(error),
  });
  userDatas.push(userData);
  return { clock, ec2, autoscaling, errors, outcome, userData };
}

describe("the local instances' user data", () => {
  it('completes the launch action with CONTINUE, by instance id, once the app answers', async () => {
    // Prepare: an app that is not ready for its first two asks.
    let asked = 0;
    const server = await app((req, res) => {
      asked += 1;
      res.writeHead(asked <= 2 ? 503 : 200).end(req.url);
    });
    const { clock, ec2, autoscaling, errors, outcome } = userDataFor(server);

    // Act
    ec2.announce(instance(clock, 'i-0000000000000001a'), 'running');

    // Assess
    expect(await outcome).toEqual({
      instanceId: 'i-0000000000000001a',
      result: 'CONTINUE',
      action: 'completed',
      asks: 3,
    });
    expect(autoscaling.calls).toEqual([
      {
        autoScalingGroupName: GROUP,
        lifecycleHookName: LAUNCH_HOOK.name,
        instanceId: 'i-0000000000000001a',
        lifecycleActionResult: 'CONTINUE',
      },
    ]);
    expect(errors).toEqual([]);
  });

  it("abandons the launch when the app never answers, before the hook's timeout would", async () => {
    // Prepare: an app that takes every request and never answers.
    const server = await app(() => undefined);
    const { clock, ec2, autoscaling, outcome } = userDataFor(server, { heartbeatTimeoutSeconds: 30 });
    const launched = instance(clock, 'i-0000000000000002b');

    // Act
    ec2.announce(launched, 'running');
    const done = await outcome;

    // Assess: each ask timed out, and the last ended in time for the ABANDON to be this one.
    expect(done).toMatchObject({ result: 'ABANDON', action: 'completed' });
    expect(done.asks).toBeGreaterThan(1);
    expect(clock.now() - Date.parse(launched.launchTime)).toBeLessThan(30_000);
    expect(clock.now() - Date.parse(launched.launchTime)).toBeGreaterThanOrEqual(
      (30 - USER_DATA_ASK_TIMEOUT_SECONDS - 2) * 1000,
    );
    expect(autoscaling.calls.map((c) => c.lifecycleActionResult)).toEqual(['ABANDON']);
  });

  it('takes an action that is no longer waiting as done, and reports any other refusal', async () => {
    const server = await app((_req, res) => res.end('ok'));
    const { clock, ec2, autoscaling, errors, outcome } = userDataFor(server);
    autoscaling.answer = ({ instanceId }) => {
      throw new ValidationError(`No active Lifecycle Action found with instance ID ${instanceId}`);
    };

    ec2.announce(instance(clock, 'i-0000000000000003c'), 'running');

    expect(await outcome).toMatchObject({ result: 'CONTINUE', action: 'not-waiting' });
    expect(errors).toEqual([]);

    // A group that does not exist is no "not waiting": it is reported, not swallowed.
    const refused = new ValidationError(
      'AutoScalingGroup name not found - AutoScalingGroup scalelab-serve not found',
    );
    autoscaling.answer = () => {
      throw refused;
    };
    ec2.announce(instance(clock, 'i-0000000000000004d'), 'running');
    await expect.poll(() => errors, { timeout: 5000 }).toEqual([refused]);
  });

  it('refuses a hook too short for one ask and one pause, and an instance without a launch time', async () => {
    const server = await app((_req, res) => res.end('ok'));
    expect(() => userDataFor(server, { heartbeatTimeoutSeconds: 7 })).toThrow(
      "InstanceUserData: hook scalelab-wait-for-app's heartbeatTimeoutSeconds must exceed one ask and one pause (7 s), got 7",
    );
    const { clock, ec2, errors, autoscaling } = userDataFor(server);

    ec2.announce({ ...instance(clock, 'i-00000000000000090'), launchTime: 'soon' }, 'running');

    await expect
      .poll(() => errors.map(String), { timeout: 5000 })
      .toEqual(["Error: instance i-00000000000000090 has no valid launchTime (got 'soon')"]);
    expect(autoscaling.calls).toEqual([]);
  });

  it("leaves other groups' instances alone, and stops every ask when closed", async () => {
    // Prepare: an app that holds each request open, counting the connections it has.
    const server = await app(() => undefined);
    const { clock, ec2, autoscaling, userData } = userDataFor(server);

    // Act
    ec2.announce(instance(clock, 'i-0000000000000005e', 'someone-else'), 'running');
    ec2.announce(instance(clock, 'i-0000000000000006f'), 'running');
    await expect.poll(() => connections(server), { timeout: 5000 }).toBe(1);
    await userData.close();

    // Assess: nothing completed, nothing still listening, no request left open.
    expect(autoscaling.calls).toEqual([]);
    expect(ec2.listening).toBe(0);
    await expect.poll(() => connections(server), { timeout: 5000 }).toBe(0);
    ec2.announce(instance(clock, 'i-00000000000000070'), 'running');
    expect(await connections(server)).toBe(0);
  });

  it('stops asking for an instance that terminates meanwhile', async () => {
    const server = await app(() => undefined);
    const { clock, ec2, autoscaling } = userDataFor(server);
    const launched = instance(clock, 'i-00000000000000081');

    ec2.announce(launched, 'running');
    await expect.poll(() => connections(server), { timeout: 5000 }).toBe(1);
    ec2.announce({ ...launched, state: 'shutting-down' }, 'shutting-down');

    await expect.poll(() => connections(server), { timeout: 5000 }).toBe(0);
    expect(autoscaling.calls).toEqual([]);
  });
});

function connections(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}
