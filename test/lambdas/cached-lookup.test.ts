import { describe, expect, it } from 'vitest';
import { cachedLookup } from '../../lambdas/middy/cached-lookup.js';

/** A lookup that answers from a script and counts its calls. */
function scripted<T>(...answers: Array<T | Error>) {
  let calls = 0;
  const lookup = async (): Promise<T> => {
    const answer = answers[Math.min(calls, answers.length - 1)] as T | Error;
    calls += 1;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { lookup, calls: () => calls };
}

describe('cachedLookup', () => {
  it('looks up once and keeps the answer for the next calls', async () => {
    const { lookup, calls } = scripted('cloud');
    const cached = cachedLookup(lookup);

    expect(await cached()).toBe('cloud');
    expect(await cached()).toBe('cloud');
    expect(calls()).toBe(1);
  });

  it('looks up again after a failure (a missing environment fixed since)', async () => {
    const { lookup, calls } = scripted<string>(new Error('AWS_REGION is not set'), 'cloud');
    const cached = cachedLookup(lookup);

    await expect(cached()).rejects.toThrow('AWS_REGION is not set');
    expect(await cached()).toBe('cloud');
    expect(await cached()).toBe('cloud');
    expect(calls()).toBe(2);
  });

  it('looks up again while `keep` refuses the answer (a secret without a value yet)', async () => {
    const { lookup, calls } = scripted<string | undefined>(undefined, 'https://hooks.example/x');
    const cached = cachedLookup(lookup, (value) => value !== undefined);

    expect(await cached()).toBeUndefined();
    expect(await cached()).toBe('https://hooks.example/x');
    expect(await cached()).toBe('https://hooks.example/x');
    expect(calls()).toBe(2);
  });

  it('takes a plain value as well as a promise', async () => {
    const cached = cachedLookup(() => 42);

    expect(await cached()).toBe(42);
  });
});
