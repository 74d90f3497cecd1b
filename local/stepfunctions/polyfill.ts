/**
 * aws-local-stepfunctions 3.0.0 calls `Promise.withResolvers` in every Task state; Node 20 lacks
 * it (it arrived in Node 22), so install a spec-equivalent version once, before any Task runs.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseWithResolvers = PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

/** Adds `Promise.withResolvers` when the runtime does not have it; a no-op on Node 22+. */
export function installPromiseWithResolvers(): void {
  const promiseConstructor = Promise as PromiseWithResolvers;
  if (typeof promiseConstructor.withResolvers === 'function') return;
  promiseConstructor.withResolvers = function withResolvers<T>(): Resolvers<T> {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
