/**
 * What a middleware looks up once per cold start rather than on every invocation: the Cloud
 * adapter, the notifier's webhook URL. What did not work out is not kept, so the next invocation
 * looks again and a fixed environment or a secret set later takes effect without a cold start.
 */

function keepAny(): boolean {
  return true;
}

/**
 * `lookup` run on the first call and its answer kept for the next ones, unless it failed or
 * `keep` refuses the answer (a secret without a value yet): then the next call runs it again.
 */
export function cachedLookup<T>(
  lookup: () => T | Promise<T>,
  keep: (value: T) => boolean = keepAny,
): () => Promise<T> {
  let cached: Promise<T> | undefined;
  function forget(): void {
    cached = undefined;
  }
  function forgetRefused(value: T): void {
    if (!keep(value)) forget();
  }
  return function lookUpOnce(): Promise<T> {
    cached ??= Promise.resolve(lookup());
    // Also what keeps a failed lookup from being an unhandled rejection: the caller awaits it.
    cached.then(forgetRefused, forget);
    return cached;
  };
}
