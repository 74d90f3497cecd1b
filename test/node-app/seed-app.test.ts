import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningInstanceServer, startInstanceServer } from '../../node-app/instance-server.js';

let server: RunningInstanceServer;

beforeEach(async () => {
  server = await startInstanceServer({ app: 'seed', host: '127.0.0.1', port: 0, instanceId: 'i-0seedtest' });
});

afterEach(async () => {
  await server.close();
});

function postJson(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

async function currentSeed(): Promise<string> {
  return (await fetch(server.url)).text();
}

describe('seed app', () => {
  it('starts at 0 and answers text/plain with the instance id', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('x-instance-id')).toBe('i-0seedtest');
    expect(await response.text()).toBe('0');
  });

  it('updates the seed with POST {"num": 100} and returns it', async () => {
    const response = await postJson('{"num": 100}');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('100');
    expect(await currentSeed()).toBe('100');
  });

  it.each([
    ['malformed JSON', '{"num": ', 'MalformedJson'],
    ['missing num', '{"value": 1}', 'MissingNum'],
    ['a JSON array', '[100]', 'MissingNum'],
    ['a string num', '{"num": "100"}', 'InvalidNum'],
    ['a fractional num', '{"num": 1.5}', 'InvalidNum'],
    ['a null num', '{"num": null}', 'InvalidNum'],
    ['an overflowing num', '{"num": 1e300}', 'InvalidNum'],
    ['an unsafe integer (2**60)', '{"num": 1152921504606846976}', 'InvalidNum'],
    ['an empty body', '', 'MissingBody'],
  ])('rejects %s with 400 and leaves the seed unchanged', async (_case, body, code) => {
    await postJson('{"num": 7}');
    const response = await postJson(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-instance-id')).toBe('i-0seedtest');
    const error = (await response.json()) as { error: string; message: string };
    expect(error.error).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    expect(await currentSeed()).toBe('7');
  });

  it('rejects a body over 1 KiB with 413', async () => {
    const response = await postJson(JSON.stringify({ num: 1, pad: 'x'.repeat(1100) }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe('PayloadTooLarge');
    expect(await currentSeed()).toBe('0');
  });

  it('rejects a non-JSON content type with 415', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'num=100',
    });
    expect(response.status).toBe(415);
    expect(await currentSeed()).toBe('0');
  });

  it('accepts a JSON content type with parameters', async () => {
    const response = await postJson('{"num": -3}', { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
    expect(await currentSeed()).toBe('-3');
  });

  it('answers another method with 405 and an Allow header', async () => {
    const response = await fetch(server.url, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(response.headers.get('x-instance-id')).toBe('i-0seedtest');
  });

  it('answers an unknown path with 404', async () => {
    const response = await fetch(new URL('/nope', server.url));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toBe('NotFound');
    expect(response.headers.get('x-instance-id')).toBe('i-0seedtest');
  });

  it('keeps a value some POST sent when many POSTs race', async () => {
    const values = Array.from({ length: 50 }, (_, i) => i * 1000 + 1);
    const responses = await Promise.all(values.map((num) => postJson(JSON.stringify({ num }))));
    const echoed = await Promise.all(responses.map((response) => response.text()));
    expect(echoed).toEqual(values.map(String));
    expect(values.map(String)).toContain(await currentSeed());
  });
});
