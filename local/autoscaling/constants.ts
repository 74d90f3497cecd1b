/**
 * AWS's documented Auto Scaling defaults, and the local module's assumptions where AWS documents
 * none. Durations are simulated seconds. Sources:
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html.
 */

/** DefaultCooldown (documented); also the warm-up fallback when no instance warm-up is set. */
export const DEFAULT_COOLDOWN_SECONDS = 300;

/** Health check grace period when created through the API (documented: 0; the console uses 300). */
export const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = 0;

/**
 * Assumption: target tracking never scales a group in below one instance by itself. A group at
 * zero has no CPU metric, so its alarms would sit in INSUFFICIENT_DATA and it could never scale out
 * again; AWS does not document this case. Min size 0 still lets a user set desired capacity to 0.
 */
export const TARGET_TRACKING_MIN_CAPACITY = 1;

/**
 * Assumption: scale-in terminates the newest instance first. AWS's default termination policy
 * balances Availability Zones, then prefers the oldest launch template, then the instance closest
 * to the next billing hour; with one AZ and one template locally, newest-first is what a person
 * watching the lab expects and keeps the longest-running instance.
 */
export const TERMINATE_NEWEST_FIRST = true;

/** Assumption: how often (simulated seconds) instance health is swept besides ELB's own events. */
export const HEALTH_SWEEP_SECONDS = 10;

/** Assumption: after a failed launch, wait this long before trying again (AWS backs off too). */
export const LAUNCH_RETRY_SECONDS = 10;

/** The subnet of the local cloud's one Availability Zone (LOCAL_AVAILABILITY_ZONE in ../arn.ts). */
export const LOCAL_SUBNET_ID = 'subnet-0000000000local';

// Lifecycle hooks (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html,
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LifecycleHook.html)

/** HeartbeatTimeout's documented range and default, in seconds. */
export const LIFECYCLE_HEARTBEAT_MIN_SECONDS = 30;
export const LIFECYCLE_HEARTBEAT_MAX_SECONDS = 7200;
export const DEFAULT_LIFECYCLE_HEARTBEAT_SECONDS = 3600;

/** DefaultResult when PutLifecycleHook is given none (documented). */
export const DEFAULT_LIFECYCLE_RESULT = 'ABANDON';

/**
 * GlobalTimeout: the longest an instance stays in a wait state however many heartbeats are
 * recorded, "172800 seconds (48 hours) or 100 times HeartbeatTimeout, whichever is smaller"
 * (documented). What happens when it runs out is not: locally the hook's DefaultResult applies, as
 * at a heartbeat timeout (assumption).
 */
export const LIFECYCLE_GLOBAL_TIMEOUT_MAX_SECONDS = 172_800;
export const LIFECYCLE_GLOBAL_TIMEOUT_HEARTBEATS = 100;

/** Lifecycle hooks per group: AWS's default quota (documented; PutLifecycleHook fails beyond it). */
export const LIFECYCLE_HOOKS_PER_GROUP = 50;

/** NotificationMetadata's length bound in Auto Scaling's service model (1–4000 printable ASCII). */
export const NOTIFICATION_METADATA_MAX_LENGTH = 4000;
