/**
 * Assumptions of the local EC2 where AWS documents no single number. Durations are simulated
 * seconds and run through the Clock.
 */

/**
 * Seconds from `pending` until the instance's app is started: on EC2 this is boot plus user data
 * (an Amazon Linux 2023 t3.micro reaches `running` in ~10–20 s and installs a small Node app in
 * ~20–40 s more). Assumption: 30 s.
 */
export const INSTANCE_BOOT_SECONDS = 30;

/** Real milliseconds an app gets after SIGTERM before its process group is SIGKILLed. */
export const TERMINATE_GRACE_MS = 3_000;

/** The port every instance's app listens on (the lab's target group port). */
export const INSTANCE_PORT = 5000;
