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

/**
 * Assumption: one local vCPU stands for half a host core. The host (2 cores in CI) runs up to five
 * instances, their load balancers, the CPU sampler and the operator; a stressed 2-vCPU t3.micro at
 * 90 % of two whole cores would take the entire host, starve everything else and read far below
 * 90 % the moment anything else runs. So an instance's CPU capacity is vCPUs × this share of a
 * host core: its stress workers each burn `load` % of a vCPU, which is `load` × this share of a
 * host core (the app's `--cpu-share`), and CPUUtilization is CPU time ÷ (real time × vCPUs × this
 * share). The percentages the policy sees are the instance's own, as on AWS.
 */
export const LOCAL_VCPU_CORE_SHARE = 0.5;

/**
 * Assumption: an app's own process spends its CPU answering requests (health checks, the lab's
 * requests through the load balancer), and those arrive on the simulated schedule: at time scale
 * N it answers N times as many per real second as an instance on AWS does per second, for the
 * same CPU per simulated second. So the local CloudWatch charges the app process's own CPU per
 * simulated second (its CPU ÷ the simulated seconds that passed), and its stress workers, which
 * burn a share of real time, per real second. Measured before this (issue 15): an idle instance
 * read ~3.5 % at x240 against ~0.5 % at x20, enough to move a scale-in by an alarm period.
 */
export const APP_CPU_PER_SIMULATED_SECOND = true;

/** The port every instance's app listens on (the lab's target group port). */
export const INSTANCE_PORT = 5000;
