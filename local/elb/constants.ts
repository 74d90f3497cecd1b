/**
 * AWS's documented defaults and ranges for Application Load Balancers and their target groups,
 * and every assumption the local load balancer makes where AWS documents nothing. All durations
 * are simulated seconds (they run through the Clock).
 * Sources: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html,
 * .../load-balancer-target-groups.html, .../application/load-balancer-troubleshooting.html.
 */

/** Health-check defaults of an HTTP target group created through the API (documented). */
export const HEALTH_CHECK_DEFAULTS = {
  path: '/',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  matcher: '200',
} as const;

/** Allowed ranges (documented, ALB with HTTP targets). */
export const HEALTH_CHECK_RANGES = {
  intervalSeconds: [5, 300],
  timeoutSeconds: [2, 120],
  healthyThresholdCount: [2, 10],
  unhealthyThresholdCount: [2, 10],
} as const;

/** Success codes an ALB health check may expect (documented: 200–499 for HTTP). */
export const MATCHER_CODE_RANGE = [200, 499] as const;
/** Longest health-check path AWS accepts (documented). */
export const HEALTH_CHECK_PATH_MAX_LENGTH = 1024;

/** Deregistration delay default and range (documented). */
export const DEREGISTRATION_DELAY_DEFAULT_SECONDS = 300;
export const DEREGISTRATION_DELAY_RANGE = [0, 3600] as const;

/** Load balancer and target group names: 1–32 alphanumerics or hyphens, no hyphen at either end. */
export const NAME_MAX_LENGTH = 32;

/** 504 when no connection to the target is made within 10 s (documented). */
export const TARGET_CONNECT_TIMEOUT_SECONDS = 10;
/** ALB idle timeout default 60 s (documented): a target silent this long ends the request with 504. */
export const IDLE_TIMEOUT_SECONDS = 60;

/**
 * Assumption: the front (client) keep-alive idle timeout is the idle timeout in simulated seconds
 * but never below this many real milliseconds, so real clients (curl, Postman, load generators)
 * at a high time scale do not race a socket the proxy is closing.
 */
export const CLIENT_KEEP_ALIVE_MIN_REAL_MS = 5_000;

/**
 * Assumption: a newly registered target that fails its first checks turns `unhealthy` after
 * `unhealthyThresholdCount` consecutive failures (AWS documents only that one passing check makes it
 * healthy; `initial` → `unhealthy` is observed on real accounts for targets that never come up).
 */
export const INITIAL_TO_UNHEALTHY_USES_UNHEALTHY_THRESHOLD = true;

/**
 * Assumption: when no target is healthy, fail-open routes to every registered target that is not
 * draining, `initial` ones included (AWS documents fail-open for "only unhealthy registered
 * targets"; users report never-healthy new targets serving traffic then).
 */
export const FAIL_OPEN_INCLUDES_INITIAL = true;

/** The User-Agent AWS's health checker sends (observed in target access logs). */
export const HEALTH_CHECK_USER_AGENT = 'ELB-HealthChecker/2.0';
/** The Server header on responses the load balancer itself generates (observed). */
export const ELB_SERVER_HEADER = 'awselb/2.0';
