/**
 * The lab configuration declared once: each field's type, default, bounds and description, and
 * the rules between fields. lab/config.ts derives the types, the defaults, the parser and the
 * JSON Schema (docs/lab-config.schema.json) from it.
 *
 * Defaults are the seed lab's values; where the seed says nothing, the description says why the
 * value was chosen. A field's own bounds are what it allows alone; a bound that depends on another
 * field (maxSize >= minSize) is a rule of its section, reported on the field and naming both.
 */
import { INSTANCE_TYPE_NAMES } from './aws-facts.js';
import { httpPath, integer, number, oneOf, only, port, rule, section, text } from './config-fields.js';
import { PROFILES, TIMING_ASSUMPTIONS } from './timings.js';

// Load balancer and target group names as AWS accepts them.
const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const ELB_NAME_IN_WORDS = '1-32 letters, digits or inner hyphens';
const ASG_NAME = /^[\w.-]{1,255}$/;
const MATCHER = /^\d{3}(?:-\d{3})?(?:,\d{3}(?:-\d{3})?)*$/;

const section1Schema = section({
  instanceCount: integer(2, 10)
    .default(2)
    .describe('Instances running the seed app behind load balancer `web`.'),
  app: only('seed').default('seed').describe('The app section 1 runs: the seed app.'),
  port: port().default(5000).describe('Port the seed app listens on.'),
  loadBalancerName: text(ELB_NAME, ELB_NAME_IN_WORDS)
    .default('web')
    .describe('Name of section 1 load balancer.'),
  targetGroupName: text(ELB_NAME, ELB_NAME_IN_WORDS)
    .default('web-targets')
    .describe('Name of its target group.'),
  requestCount: integer(1, 1000)
    .default(20)
    .describe('GETs sent through the load balancer to see the round-robin spread; at least instanceCount.'),
  spreadTolerance: number(0, 1)
    .default(0.2)
    .describe("Largest deviation of any instance's share from an even share (0.2 = ±20 %)."),
  seedValue: integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
    .default(100)
    .describe('The N of `POST {"num": N}` in the seed check.'),
})
  .superRefine(
    rule(
      'requestCount',
      (s) => s.requestCount >= s.instanceCount,
      (s) =>
        `must be >= section1.instanceCount (got requestCount ${s.requestCount}, instanceCount ${s.instanceCount})`,
    ),
  )
  .describe('Section 1: load balancing across instances of the seed app.');

const section2Schema = section({
  app: only('serve').default('serve').describe('The app section 2 runs: the serve app.'),
  port: port().default(5000).describe('Port the serve app listens on.'),
  loadBalancerName: text(ELB_NAME, ELB_NAME_IN_WORDS)
    .default('scaling')
    .describe('Name of section 2 load balancer.'),
  targetGroupName: text(ELB_NAME, ELB_NAME_IN_WORDS)
    .default('scaling-targets')
    .describe('Name of its target group.'),
  autoScalingGroupName: text(ASG_NAME, '1-255 letters, digits, "_", "." or "-"')
    .default('scalelab-serve')
    .describe('Name of the Auto Scaling group.'),
  minSize: integer(0, 10).default(0).describe('Smallest size of the group.'),
  maxSize: integer(0, 10).default(3).describe('Largest size of the group; at least minSize.'),
  desiredCapacity: integer(1, 10)
    .default(1)
    .describe('Instances the group starts with; from minSize to maxSize.'),
  targetCpuPercent: number(1, 100)
    .default(50)
    .describe('Target tracking on ASGAverageCPUUtilization, in percent.'),
  instanceWarmupSeconds: integer(0, 3600)
    .default(300)
    .describe("Seconds before a new instance's metrics count toward the group's."),
  cooldownSeconds: integer(0, 3600).default(300).describe('Seconds between two scaling activities.'),
  scaleOutTo: integer(1, 10)
    .default(2)
    .describe(
      'In-service and healthy instances that count as "scaled out"; above desiredCapacity, at most maxSize.',
    ),
})
  .superRefine(
    rule(
      'maxSize',
      (s) => s.maxSize >= s.minSize,
      (s) => `must be >= section2.minSize (got max ${s.maxSize}, min ${s.minSize})`,
    ),
  )
  .superRefine(
    rule(
      'desiredCapacity',
      (s) => s.desiredCapacity >= s.minSize && s.desiredCapacity <= s.maxSize,
      (s) => `must be within [minSize, maxSize] (got ${s.desiredCapacity}, range ${s.minSize}-${s.maxSize})`,
    ),
  )
  .superRefine(
    rule(
      'scaleOutTo',
      (s) => s.scaleOutTo > s.desiredCapacity && s.scaleOutTo <= s.maxSize,
      (s) =>
        `must be above desiredCapacity and at most maxSize (got ${s.scaleOutTo}, desired ${s.desiredCapacity}, max ${s.maxSize})`,
    ),
  )
  .describe('Section 2: an Auto Scaling group of serve apps behind a load balancer, scaled on CPU.');

// The ranges AWS accepts for an ALB target group. Where the seed is silent the lab checks more
// often than AWS's defaults (30 s / 5 s / 5 / 2): a lab wants to see health quickly, and a new
// target needs one passing check anyway.
const healthCheckSchema = section({
  path: httpPath(1024).default('/').describe('Path the health check GETs.'),
  port: port().default(5000).describe('Port the health check connects to.'),
  intervalSeconds: integer(5, 300).default(10).describe('Seconds between two checks (AWS default 30).'),
  timeoutSeconds: integer(2, 120)
    .default(5)
    .describe('Seconds a check may take; below intervalSeconds (AWS default 5).'),
  healthyThresholdCount: integer(2, 10)
    .default(2)
    .describe('Passing checks in a row before a target is healthy (AWS default 5).'),
  unhealthyThresholdCount: integer(2, 10)
    .default(2)
    .describe('Failing checks in a row before a target is unhealthy (AWS default 2).'),
  matcher: text(MATCHER, 'HTTP codes like "200", "200-299" or "200,302"')
    .default('200')
    .describe('HTTP codes that count as healthy, ALB syntax: "200", "200-299", "200,302".'),
})
  .superRefine(
    rule(
      'timeoutSeconds',
      (h) => h.timeoutSeconds < h.intervalSeconds,
      (h) =>
        `must be below healthCheck.intervalSeconds (got timeout ${h.timeoutSeconds}, interval ${h.intervalSeconds})`,
    ),
  )
  .describe('Target group health check (ALB, HTTP), the same for both sections.');

// start-stress turns cpuPercent into the serve app's request (lab/stress.ts): one worker per vCPU
// (node-app/stress/stress-request.ts allows 1-4), each at cpuPercent of one core.
const stressSchema = section({
  seconds: integer(1, 3600)
    .default(600)
    .describe(
      'How long the stress lasts: long enough that CPU stays high until the second instance is healthy ' +
        "(the scale-out budget's upper bound: 385 s locally, 565 s on AWS), short enough that the lab then cools down.",
    ),
  cpuPercent: integer(1, 100)
    .default(80)
    .describe(
      "CPU the stress holds the instance at, in percent of all its vCPUs (what CloudWatch's CPUUtilization " +
        'reads): one worker per vCPU of instanceType, each at this percent of one core. 80: well above a 50 % ' +
        'target even when it reads 10 points short, and low enough that, once the new instance has warmed up, ' +
        'two instances average below the target even when it reads 10 points over (no third instance).',
    ),
}).describe('The CPU stress one `POST /` starts on the serve app.');

const timeoutsSchema = section({
  healthySeconds: integer(1, 3600)
    .default(300)
    .describe('How long provisioning may take to become healthy before the lab gives up.'),
  healthPollSeconds: integer(1, 300)
    .default(10)
    .describe('Pause between two target-health checks while waiting for health; at most healthySeconds.'),
  tearDownSeconds: integer(1, 3600)
    .default(300)
    .describe('How long tear-down waits for everything to be stopped / terminated.'),
  httpRequestMs: integer(10, 60_000)
    .default(5000)
    .describe('Real milliseconds one HTTP request through a load balancer may take.'),
})
  .superRefine(
    rule(
      'healthPollSeconds',
      (t) => t.healthPollSeconds <= t.healthySeconds,
      (t) =>
        `must be at most timeouts.healthySeconds (got poll ${t.healthPollSeconds}, healthy ${t.healthySeconds})`,
    ),
  )
  .describe('How long the lab waits for what.');

/**
 * The whole lab configuration. Every field has a default, so `{}` is the seed lab; sections
 * `prefault` to `{}` so that a missing section gets its fields' defaults.
 */
export const labConfigSchema = section({
  section1: section1Schema.prefault({}),
  section2: section2Schema.prefault({}),
  healthCheck: healthCheckSchema.prefault({}),
  deregistrationDelaySeconds: integer(0, 3600)
    .default(30)
    .describe(
      'Target group deregistration delay. The AWS default, 300 s, would make every scale-in and ' +
        'tear-down 5 min longer while the seed apps hold no long requests.',
    ),
  instanceType: oneOf(INSTANCE_TYPE_NAMES)
    .default('t3.micro')
    .describe(
      'EC2 instance type of every instance (INSTANCE_TYPES in lab/aws-facts.ts): the CDK stacks launch ' +
        'it, the local cloud gives each instance its vCPUs, and the stress uses one worker per vCPU.',
    ),
  profile: oneOf(PROFILES)
    .default('local')
    .describe(
      'Where the lab runs, for the timing assumptions of the budgets (TIMING_ASSUMPTIONS in ' +
        'lab/timings.ts): "local" for the local cloud, "aws" for a deployment (the CDK app sets it).',
    ),
  instanceBootSeconds: integer(0, 1800)
    .default(TIMING_ASSUMPTIONS.local.instanceBootUpper.value)
    .describe(
      'Local cloud only (ignored on AWS, like timeScale): from launch until the app answers on its ' +
        'port (simulated boot + user data); the budgets use it as the local boot.',
    ),
  stress: stressSchema.prefault({}),
  timeouts: timeoutsSchema.prefault({}),
  timeScale: number(0.001, 10_000)
    .default(20)
    .describe(
      'Simulated seconds per real second in local runs (ignored on AWS); 20 runs the ~25-minute ' +
        'lab in a little over a minute of real time.',
    ),
}).meta({
  title: 'scalelab lab configuration',
  description:
    'The one lab configuration: the workflow input, the local cloud, the verdict budgets and the ' +
    'CDK stacks all read it. Every field is optional; a missing one takes its default (the seed ' +
    'lab). Durations are simulated seconds unless the name says `Ms` (real milliseconds).',
});
