/**
 * The fetch the workflow's handlers use on Lambda. When the deployer limits the load balancers to
 * one network (context scalelab:ingressCidr), their listeners still admit requests that carry the
 * operator's key: the functions run outside the VPC, from addresses no CIDR of the deployer's
 * holds. The key is the lab stack's id (stacks/constructs/lab-load-balancer.ts).
 */

/** The variable the operator stack sets on every function. */
export const OPERATOR_KEY_ENV = 'SCALELAB_OPERATOR_KEY';
/** The header a listener rule matches against the key. */
export const OPERATOR_KEY_HEADER = 'x-scalelab-operator';

/** `base`, adding the operator's key header to every request when `env` holds a key. */
export function operatorFetch(base: typeof fetch, env: NodeJS.ProcessEnv = process.env): typeof fetch {
  const key = env[OPERATOR_KEY_ENV]?.trim();
  if (!key) return base;
  return function fetchWithOperatorKey(input, init) {
    const headers = new Headers(init?.headers);
    headers.set(OPERATOR_KEY_HEADER, key);
    return base(input, { ...init, headers });
  };
}
