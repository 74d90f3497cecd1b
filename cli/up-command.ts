import type { LabConfig } from '../lab/config.js';
import { type ApiServer, DEFAULT_API_PORT, startApiServer } from '../local/api/index.js';
import type { EventBridgeEvent } from '../local/eventbridge/index.js';
import { LocalAws } from '../local/local-aws.js';
import { labResetOperations } from '../local-lab/lab-reset-operation.js';
import { createLocalLab, type LocalLab } from '../local-lab/resources.js';
import { LOCAL_OBSERVER_TABLE_SPEC } from '../local-lab/run/aws-adapter.js';
import { faithfulTimeScale } from '../local-lab/run/faithful-time-scale.js';
import { OPTIONS } from './commands/up.js';
import { labConfigFrom } from './config-options.js';
import { describeEvent } from './event-line.js';
import { intOption, parseOptions } from './parse-options.js';
import { assertPortFree } from './ports.js';
import { untilStopSignal } from './stop-signal.js';

/** Listener ports standing in for the ALBs' port 80. */
const DEFAULT_PORTS = { web: 8080, scaling: 8081 };

function inServiceCount(cloud: LocalAws, config: LabConfig): number {
  const [group] = cloud.autoscaling.describeAutoScalingGroups([config.section2.autoScalingGroupName]);
  return group?.Instances?.filter(({ LifecycleState }) => LifecycleState === 'InService').length ?? 0;
}

/** Resolves once section 1 runs and the group has its desired capacity in service, or rejects at the deadline. */
async function untilReady(cloud: LocalAws, lab: LocalLab, config: LabConfig): Promise<void> {
  const deadline = cloud.clock.now() + config.timeouts.healthySeconds * 1000;
  for (;;) {
    const section1 = cloud.ec2.describeInstances(lab.section1InstanceIds);
    const ready =
      section1.every(({ state }) => state === 'running') &&
      inServiceCount(cloud, config) >= config.section2.desiredCapacity;
    if (ready) return;
    if (cloud.clock.now() > deadline) {
      throw new Error(`the lab did not come up within ${config.timeouts.healthySeconds} simulated seconds`);
    }
    await cloud.clock.sleep(1);
  }
}

/**
 * The local AWS endpoint for the lab's cloud, so `aws --endpoint-url` and SDK clients can watch
 * it. No Step Functions: `up` runs no state machine, and the endpoint says so when asked.
 * `scalelab reset` (ScalelabLocal.ResetLab) brings the lab back up as `up` started it.
 */
function startEndpoint(cloud: LocalAws, lab: LocalLab, config: LabConfig, port: number): Promise<ApiServer> {
  return startApiServer({
    bus: cloud.bus,
    cloud,
    scalelabOperations: labResetOperations({ target: { cloud, lab, config, running: true } }),
    port,
    tables: [LOCAL_OBSERVER_TABLE_SPEC],
  });
}

interface Served {
  cloud: LocalAws;
  lab: LocalLab;
  api: ApiServer;
  config: LabConfig;
}

function readyReport({ cloud, lab, api, config }: Served) {
  return {
    ready: true,
    timeScale: config.timeScale,
    // CloudWatch and every other timestamp on the endpoint is in this clock, not the real one.
    simulatedTime: cloud.clock.isoNow(),
    loadBalancers: { web: lab.web.url, scaling: lab.scaling.url },
    awsEndpoint: api.url,
    autoScalingGroup: cloud.autoscaling.describeAutoScalingGroups([config.section2.autoScalingGroupName])[0],
    instances: cloud.ec2.describeInstances().map(({ instanceId, app, privateIpAddress, state, pid }) => ({
      instanceId,
      app,
      privateIpAddress,
      state,
      pid,
    })),
  };
}

function readyLine({ cloud, lab, api, config }: Served): string {
  const { section2 } = config;
  return [
    `scalelab lab is up (time ×${config.timeScale}); Ctrl-C tears it down.`,
    `  web      ${lab.web.url}  → ${config.section1.instanceCount} seed-app instances (GET / → seed, POST {"num": N})`,
    `  scaling  ${lab.scaling.url}  → group ${section2.autoScalingGroupName} (min ${section2.minSize}, max ${section2.maxSize}, desired ${section2.desiredCapacity}, target ${section2.targetCpuPercent} % CPU); POST / starts CPU stress`,
    `  aws      ${api.url}  → EC2, Auto Scaling, ELBv2, CloudWatch, EventBridge, DynamoDB (no Step Functions): aws --endpoint-url ${api.url} …`,
    `  clock    ${cloud.clock.isoNow()} simulated, ×${config.timeScale} from now on (CloudWatch times are in it)`,
    ...cloud.ec2
      .describeInstances()
      .map((i) => `  ${i.instanceId}  ${i.app.padEnd(5)}  ${i.privateIpAddress}:5000  ${i.state}`),
  ].join('\n');
}

/**
 * `scalelab up`: both sections of the lab in the local cloud, kept up for a person to try with
 * curl or Postman and to watch with the AWS CLI through the local endpoint, printing every event
 * on the bus until Ctrl-C tears everything down.
 */
export async function upCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, OPTIONS);
  const asked = labConfigFrom(values);
  // Above what the local cloud models faithfully, the scaling people watch would be the model's
  // granularity, not the lab's: capped as for `run`, saying so.
  const scale = faithfulTimeScale(asked.timeScale);
  if (scale.capped) process.stderr.write(`scalelab up: ${scale.capped.reason}\n`);
  const config = { ...asked, timeScale: scale.timeScale };
  const ports = {
    web: intOption('web-port', values['web-port'], DEFAULT_PORTS.web, 0, 65535),
    scaling: intOption('scaling-port', values['scaling-port'], DEFAULT_PORTS.scaling, 0, 65535),
  };
  const apiPort = intOption('api-port', values['api-port'], DEFAULT_API_PORT, 0, 65535);
  await assertPortFree('127.0.0.1', ports.web, 'web');
  await assertPortFree('127.0.0.1', ports.scaling, 'scaling');
  await assertPortFree('127.0.0.1', apiPort, 'api');

  const stop = untilStopSignal();
  const cloud = new LocalAws({ timeScale: config.timeScale, bootSeconds: config.instanceBootSeconds });
  let lab: LocalLab | undefined;
  let api: ApiServer | undefined;
  try {
    lab = await createLocalLab(cloud, config, { running: true, ports });
    api = await startEndpoint(cloud, lab, config, apiPort);
    const print = (event: EventBridgeEvent): void => {
      process.stdout.write(`${values.json ? JSON.stringify(event) : describeEvent(event)}\n`);
    };
    const ready = Promise.race([untilReady(cloud, lab, config), stop.signal]);
    if ((await ready) !== undefined) return 0; // stopped before it was ready
    const served = { cloud, lab, api, config };
    const report = values.json ? JSON.stringify(readyReport(served)) : readyLine(served);
    process.stdout.write(`${report}\n`);
    cloud.bus.subscribe(print);
    const reason = await stop.signal;
    process.stderr.write(`scalelab up: ${reason}, tearing down…\n`);
    return 0;
  } finally {
    await api?.close();
    await lab?.userData.close();
    await cloud.close();
    stop.dispose();
  }
}
