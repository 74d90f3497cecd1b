import { arn } from './arn.js';
import { LocalAutoScaling } from './autoscaling/index.js';
import { Clock } from './clock.js';
import { CpuSampler, MetricStore } from './cloudwatch/index.js';
import { LocalEc2 } from './ec2/index.js';
import type { ProcessLedger } from './ec2/process-ledger.js';
import { LocalElb } from './elb/index.js';
import { type DeliveryFaults, LocalEventBus, type PutEventsRequestEntry } from './eventbridge/index.js';

/** EC2's "EC2 Instance State-change Notification" event, as AWS puts it on the default bus. */
function instanceStateChangeEvent(instanceId: string, state: string, time: string): PutEventsRequestEntry {
  return {
    Source: 'aws.ec2',
    DetailType: 'EC2 Instance State-change Notification',
    Resources: [arn('ec2', `instance/${instanceId}`)],
    Time: time,
    Detail: JSON.stringify({ 'instance-id': instanceId, state }),
  };
}

export interface LocalAwsOptions {
  /** Simulated seconds per real second. */
  timeScale?: number;
  /** The 127.a.b block instances get addresses from (default 127.0.0). */
  subnet?: string;
  /** Simulated seconds from launch to the app listening (default INSTANCE_BOOT_SECONDS). */
  bootSeconds?: number;
  /** Disturb best-effort events (Auto Scaling's) on their way to rule targets; none by default. */
  eventFaults?: DeliveryFaults;
  onError?: (error: unknown) => void;
  /** Notes each instance process, for the next owner of the state directory (ec2/process-ledger.ts). */
  ledger?: ProcessLedger;
}

/**
 * The local cloud: one simulated clock shared by EC2 (real processes), ELB (a real proxy with
 * health checks), CloudWatch (real CPU from /proc), Auto Scaling and an EventBridge bus.
 * `close()` ends everything it started: processes, servers, timers.
 */
export class LocalAws {
  readonly clock: Clock;
  readonly bus: LocalEventBus;
  readonly ec2: LocalEc2;
  readonly elb: LocalElb;
  readonly metrics: MetricStore;
  readonly sampler: CpuSampler;
  readonly autoscaling: LocalAutoScaling;
  private closing: Promise<void> | undefined;

  constructor(options: LocalAwsOptions = {}) {
    const onError = options.onError ?? ((error: unknown) => console.error(error));
    this.clock = new Clock({ scale: options.timeScale ?? 1 });
    this.bus = new LocalEventBus({ clock: this.clock, onError, faults: options.eventFaults });
    this.ec2 = new LocalEc2({
      clock: this.clock,
      subnet: options.subnet,
      bootSeconds: options.bootSeconds,
      ledger: options.ledger,
    });
    this.metrics = new MetricStore();
    this.elb = new LocalElb({ clock: this.clock, onListenerError: onError, metrics: this.metrics });
    this.sampler = new CpuSampler({
      clock: this.clock,
      store: this.metrics,
      onSample: (sample) => this.autoscaling.recordCpuSample(sample),
      onError,
    });
    this.autoscaling = new LocalAutoScaling({
      clock: this.clock,
      ec2: this.ec2,
      elb: this.elb,
      store: this.metrics,
      sampler: this.sampler,
      bus: this.bus,
      onError,
    });
    this.ec2.onStateChange(({ instance, current, time }) => {
      this.bus.putEvents([instanceStateChangeEvent(instance.instanceId, current, time)]);
    });
    this.sampler.start();
  }

  /** Tears everything down; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await this.autoscaling.close();
    await this.sampler.stop();
    await this.ec2.close();
    await this.elb.close();
    this.bus.close();
    this.clock.close();
  }
}
