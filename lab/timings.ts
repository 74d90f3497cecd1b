/**
 * Every timing assumption the verdict's budgets (lab/budgets.ts) rest on, in one table with a
 * column for each place the lab runs. The configuration's `profile` picks the column: `local` for
 * the local cloud, `aws` for a deployment (the CDK app deploys its configuration with it). Each
 * figure says where it comes from: an AWS documentation URL, "observed: <where>" or
 * "assumption: <why>". Change a figure here and in docs/aws-behaviour.md together.
 */
import { TARGET_TRACKING_PERIOD_SECONDS } from './aws-facts.js';
import { TERMINATE_HOOK } from './lifecycle-hooks.js';

/** Where the lab runs, as far as its timing goes. */
export const PROFILES = ['local', 'aws'] as const;
export type Profile = (typeof PROFILES)[number];

export interface TimingAssumption {
  value: number;
  unit: 'seconds';
  /** An AWS documentation URL, or "observed: <where>", or "assumption: <why>". */
  source: string;
}

/** The timing assumptions of one profile. */
export interface ProfileTimings {
  /** Period of the target-tracking alarms' datapoints. */
  alarmPeriod: TimingAssumption;
  /**
   * From the scaling activity's launch until the new instance's app answers on its port, at the
   * soonest (the scale-out budget's lower bound) and at the latest (its upper bound).
   */
  instanceBootLower: TimingAssumption;
  instanceBootUpper: TimingAssumption;
  /** From the end of a period until its datapoint has been published and the alarm evaluated it. */
  metricDelay: TimingAssumption;
  /** From the end of draining until Auto Scaling reports the instance terminated. */
  shutdownUpper: TimingAssumption;
  /**
   * How long the terminate lifecycle hook may hold a drained instance in `Terminating:Wait`, at
   * the latest: on-scaling-event completes it within seconds, but its event may be lost.
   */
  terminateHookUpper: TimingAssumption;
}

const ALARM_PERIOD: TimingAssumption = {
  value: TARGET_TRACKING_PERIOD_SECONDS,
  unit: 'seconds',
  source:
    'observed: target tracking creates its alarms on 1-minute datapoints when the instances have ' +
    'detailed monitoring (TARGET_TRACKING_PERIOD_SECONDS in lab/aws-facts.ts; docs/aws-behaviour.md)',
};

const SHUTDOWN_UPPER_SOURCE =
  'assumption: after draining an instance shuts down and Auto Scaling reports it terminated within ' +
  'a minute (observed order of magnitude; AWS documents no bound)';

/** The table. Read it through {@link labTimings}, which applies the configuration. */
export const TIMING_ASSUMPTIONS: Readonly<Record<Profile, Readonly<ProfileTimings>>> = {
  local: {
    alarmPeriod: ALARM_PERIOD,
    instanceBootLower: {
      value: 60,
      unit: 'seconds',
      source:
        "assumption: the default of the configuration's instanceBootSeconds, which replaces it: the " +
        'local EC2 starts the app exactly that long after launch, so lower = upper',
    },
    instanceBootUpper: {
      value: 60,
      unit: 'seconds',
      source: 'assumption: as instanceBootLower (the local boot is exact)',
    },
    metricDelay: {
      value: TARGET_TRACKING_PERIOD_SECONDS,
      unit: 'seconds',
      source:
        'assumption: one alarm period, as on AWS a datapoint is published after its period; the local ' +
        'alarms evaluate a period one CPU sample interval (10 s) after it ends, the rest is margin for a busy machine',
    },
    shutdownUpper: {
      value: 60,
      unit: 'seconds',
      source: `${SHUTDOWN_UPPER_SOURCE}; locally an app gets SIGTERM and is SIGKILLed after 3 real s`,
    },
    terminateHookUpper: {
      value: TERMINATE_HOOK.heartbeatTimeoutSeconds,
      unit: 'seconds',
      source:
        "the terminate hook's HeartbeatTimeout (lab/lifecycle-hooks.ts), as on AWS: the local lab's group " +
        'has the same hooks (local-lab/resources.ts) and the local on-scaling-event completes the action ' +
        'seconds after the instance drained, but a lost Auto Scaling event (--event-faults drop) leaves ' +
        'the instance in Terminating:Wait until the timeout applies CONTINUE',
    },
  },
  aws: {
    alarmPeriod: ALARM_PERIOD,
    instanceBootLower: {
      value: 30,
      unit: 'seconds',
      source:
        'assumption: an Amazon Linux 2023 instance reaches `running` in ~10–20 s and the user data ' +
        '(dnf install nodejs22, the app from S3, systemd) takes some more; no instance answers sooner',
    },
    instanceBootUpper: {
      value: 180,
      unit: 'seconds',
      source:
        'assumption: ~10–20 s to `running`, then the user data: `dnf install nodejs22` (repository ' +
        'metadata first), the S3 download and the app start take 1–2 min; a minute of margin. Not yet ' +
        'measured on a real account (stacks/constructs/instance-app.ts)',
    },
    metricDelay: {
      value: 120,
      unit: 'seconds',
      source:
        'observed: 1-minute CloudWatch metrics become available about 2 minutes after their period ' +
        '(https://docs.datadoghq.com/integrations/guide/cloud-metric-delay/); AWS documents no delay ' +
        "for EC2's metrics nor for when target tracking's alarms evaluate them",
    },
    shutdownUpper: { value: 60, unit: 'seconds', source: SHUTDOWN_UPPER_SOURCE },
    terminateHookUpper: {
      value: TERMINATE_HOOK.heartbeatTimeoutSeconds,
      unit: 'seconds',
      source:
        "the terminate hook's HeartbeatTimeout (lab/lifecycle-hooks.ts): on-scaling-event completes the " +
        'action seconds after the instance drained, but its event is best effort, and without it the ' +
        'hook holds the instance until the timeout applies CONTINUE ' +
        '(https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html)',
    },
  },
};

/** The figures the budgets use for one configuration, in seconds. */
export interface LabTimings {
  profile: Profile;
  periodSeconds: number;
  bootLowerSeconds: number;
  bootUpperSeconds: number;
  metricDelaySeconds: number;
  shutdownUpperSeconds: number;
  terminateHookUpperSeconds: number;
}

/**
 * The {@link TIMING_ASSUMPTIONS} column of `config.profile`. Locally the boot is the configured
 * `instanceBootSeconds` (the local EC2 boots exactly that long); on AWS `instanceBootSeconds` is
 * ignored, like `timeScale`: how long a real instance boots is not the lab's to set.
 */
export function labTimings(config: { profile: Profile; instanceBootSeconds: number }): LabTimings {
  const t = TIMING_ASSUMPTIONS[config.profile];
  const local = config.profile === 'local';
  return {
    profile: config.profile,
    periodSeconds: t.alarmPeriod.value,
    bootLowerSeconds: local ? config.instanceBootSeconds : t.instanceBootLower.value,
    bootUpperSeconds: local ? config.instanceBootSeconds : t.instanceBootUpper.value,
    metricDelaySeconds: t.metricDelay.value,
    shutdownUpperSeconds: t.shutdownUpper.value,
    terminateHookUpperSeconds: t.terminateHookUpper.value,
  };
}
