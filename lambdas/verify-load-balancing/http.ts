/** One request through a load balancer, read whole, with the answering instance. */
export interface LbResponse {
  status: number;
  body: string;
  /** The `X-Instance-Id` header every instance app sets; '' when absent (an ELB error page). */
  instanceId: string;
}

export async function send(
  fetchImpl: typeof fetch,
  url: string,
  timeoutMs: number,
  init: RequestInit = {},
): Promise<LbResponse> {
  const response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const body = await response.text();
  return { status: response.status, body, instanceId: response.headers.get('x-instance-id') ?? '' };
}

/** Adds one to `counts[key]`. */
export function tally(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
