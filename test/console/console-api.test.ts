/**
 * The console's JSON API on serve's endpoint: status codes, the CLI's own messages for bad input,
 * no side effect on a GET, the Host and Origin checks, and the live stream.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionInput } from '../../cli/executions/input.js';
import { registerDemo, type ServeContext } from '../../cli/executions/serve.js';
import type { ExecutionSummary, ExecutionView, StateMachineInfo } from '../../console/model/console-api.js';
import { startConsoleServer } from '../../local-lab/console/console-server.js';
import { type ServeFixture, serveForTest } from '../cli/executions/helpers.js';
import { waitFor } from '../helpers/wait-for.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with full control of its headers (fetch would not send a foreign Host). */
function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const target = new URL(url);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        agent: false, // a connection of its own: a kept-alive one would outlive a closed server
        headers: options.headers,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('the console API (demo state machine at time scale 1)', () => {
  let s: ServeFixture;
  let context: ServeContext;
  let api: string;
  const post = (path: string, body: unknown) =>
    call(`${api}${path}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  const view = async (name: string) =>
    JSON.parse((await call(`${api}/executions/scalelab-demo/${name}`)).body) as ExecutionView;

  beforeAll(async () => {
    s = await serveForTest((served) => {
      context = served;
      return registerDemo(served);
    }, 1);
    api = `${s.serve.consoleUrl}api`;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('redirects / to the console, serves the page and its script with caching headers', async () => {
    const root = await call(`${s.serve.url}/`);
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/console/');
    const page = await call(s.serve.consoleUrl);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /<script src="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(script).toMatch(/^\/console\/app\.js\?v=[0-9a-f]{12}$/);
    const js = await call(`${s.serve.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.body.length).toBeGreaterThan(1000);
  }, 30_000);

  it('lists the state machines with their graphs and default input', async () => {
    const answer = await call(`${api}/state-machines`);
    expect(answer.status).toBe(200);
    const [demo] = JSON.parse(answer.body) as StateMachineInfo[];
    expect(demo?.name).toBe('scalelab-demo');
    expect(demo?.isLab).toBe(false);
    expect(demo?.graph.nodes.map((n) => n.id)).toContain('Observe');
    expect(JSON.parse(demo?.defaultInput ?? '')).toEqual({});
  });

  it('refuses a bad start field by field with the messages the CLI gives, and starts nothing', async () => {
    const before = s.serve.stateMachineArns.length && (await call(`${api}/executions`)).body;
    const answer = await post('/executions', {
      stateMachine: 'scalelab-demo',
      name: 'two words',
      input: '{"a":',
    });
    expect(answer.status).toBe(400);
    const { errors } = JSON.parse(answer.body) as { errors: Record<string, string> };
    let cliMessage = '';
    try {
      executionInput({ input: '{"a":' });
    } catch (error) {
      cliMessage = (error as Error).message;
    }
    expect(cliMessage).toMatch(/^--input is not JSON: /);
    expect(errors.input).toBe(cliMessage.replace(/^--input/, 'input'));
    expect(errors.name).toBe(
      "Invalid Name: 'two words' (execution names must not contain whitespace, brackets, wildcards or special characters)",
    );
    const unknown = await post('/executions', { stateMachine: 'nope', input: '{}' });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).errors.stateMachine).toBe("no state machine named 'nope'");
    expect((await call(`${api}/executions`)).body).toBe(before);
  });

  it('starts, shows, stops, redrives and replays as the CLI does, with the status codes of each', async () => {
    const started = await post('/executions', {
      stateMachine: 'scalelab-demo',
      name: 'c1',
      input: '{"failOnce":"Provision"}',
    });
    expect(started.status).toBe(201);
    expect(JSON.parse(started.body)).toEqual({
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:scalelab-demo:c1',
      name: 'c1',
    });
    const again = await post('/executions', { stateMachine: 'scalelab-demo', name: 'c1', input: '{}' });
    expect(again.status).toBe(409);
    expect(JSON.parse(again.body).errors.name).toContain('Execution Already Exists');

    const failed = await waitFor(async () => {
      const v = await view('c1');
      return v.execution.status === 'FAILED' ? v : undefined;
    });
    expect(failed.states).toMatchObject({ Prepare: 'succeeded', Provision: 'failed' });
    expect(failed.can).toEqual({ stop: false, redrive: true, replay: true });
    expect(failed.history[0]).toMatchObject({ id: 1, type: 'ExecutionStarted' });
    expect(failed.history.find((r) => r.type === 'TaskFailed')).toMatchObject({
      state: 'Provision',
      error: 'DemoStepFailed',
    });
    // Only the rows after the one asked for.
    expect((await call(`${api}/executions/scalelab-demo/c1?historyAfter=2`)).body).not.toContain('"id":2,');

    const stopEnded = await post('/executions/scalelab-demo/c1/stop', {});
    expect(stopEnded.status).toBe(409);
    expect(JSON.parse(stopEnded.body)).toMatchObject({
      error: 'ExecutionNotRunning',
      message: expect.stringMatching(/^execution c1 is not running: it is FAILED at \S+; nothing to stop$/),
    });

    const redriven = await post('/executions/scalelab-demo/c1/redrive', {});
    expect(redriven.status).toBe(200);
    const running = await waitFor(async () => {
      const v = await view('c1');
      return v.states.Stress === 'in-progress' ? v : undefined;
    });
    expect(running.execution).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    expect(running.states.Provision).toBe('succeeded');

    const stopped = await post('/executions/scalelab-demo/c1/stop', {});
    expect(stopped.status).toBe(200);
    const aborted = await view('c1');
    expect(aborted.execution.status).toBe('ABORTED');
    expect(aborted.states.Stress).toBe('failed');

    const replayed = await post('/executions/scalelab-demo/c1/replay', {});
    expect(replayed.status).toBe(201);
    const replay = JSON.parse(replayed.body) as { name: string; replayOf: string };
    expect(replay.name).toMatch(/^c1-replay-[0-9a-z]+$/);
    expect((await view(replay.name)).execution.input).toBe('{"failOnce":"Provision"}');

    await post('/executions', { stateMachine: 'scalelab-demo', name: 'c2', input: '{}' });
    const notRedrivable = await post('/executions/scalelab-demo/c2/redrive', {});
    expect(notRedrivable.status).toBe(409);
    expect(JSON.parse(notRedrivable.body).error).toBe('ExecutionNotRedrivable');
    expect((await post('/executions/scalelab-demo/c2/stop', {})).status).toBe(200);

    const missing = await call(`${api}/executions/scalelab-demo/nobody`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toBe('ExecutionDoesNotExist');
  });

  it('changes nothing on a GET, whatever the path', async () => {
    const list = () => call(`${api}/executions`).then((a) => JSON.parse(a.body) as ExecutionSummary[]);
    const before = await list();
    for (const path of [
      '/executions/scalelab-demo/c1/stop',
      '/executions/scalelab-demo/c1/redrive',
      '/executions/scalelab-demo/c1/replay',
    ]) {
      expect((await call(`${api}${path}`)).status, path).toBe(405);
    }
    expect((await call(`${api}/executions?stateMachine=scalelab-demo&name=x&input=%7B%7D`)).status).toBe(200);
    expect((await call(`${api}/nothing`)).status).toBe(404);
    const malformed = await call(`${api}/executions/scalelab-demo/bad%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toContain("malformed path segment 'bad%E0%A4%A'");
    expect(await list()).toEqual(before.map((e) => ({ ...e, durationSeconds: expect.any(Number) })));
  });

  it('answers only to a loopback Host, and takes POSTs only as JSON from its own origin', async () => {
    const rebound = await call(`${api}/executions`, { headers: { host: 'attacker.example:8083' } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).message).toContain("not 'attacker.example:8083'");
    for (const host of ['localhost:1', '127.0.0.1', '[::1]:8083'])
      expect((await call(`${api}/executions`, { headers: { host } })).status, host).toBe(200);
    const body = JSON.stringify({ stateMachine: 'scalelab-demo', name: 'csrf', input: '{}' });
    const crossSite = await call(`${api}/executions`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin: 'http://attacker.example' },
      body,
    });
    expect(crossSite.status).toBe(403);
    const form = await call(`${api}/executions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    expect(form.status).toBe(415);
    expect((await view('c1')).execution.name).toBe('c1');
    expect((await call(`${api}/executions/scalelab-demo/csrf`)).status).toBe(404);
  });

  it('serves the same console on a port of its own, as `scalelab run` does, and closes it', async () => {
    const own = await startConsoleServer(context, { port: 0 });
    try {
      expect(own.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/$/);
      const root = await call(own.url.replace(/console\/$/, ''));
      expect(root).toMatchObject({ status: 302, headers: { location: '/console/' } });
      const list = JSON.parse((await call(`${own.url}api/executions`)).body) as ExecutionSummary[];
      expect(list.map((e) => e.name)).toContain('c1');
      expect((await call(own.url.replace(/console\/$/, 'service/x'))).status).toBe(404);
    } finally {
      await own.close();
    }
    await expect(call(`${own.url}api/executions`)).rejects.toThrow(/ECONNREFUSED/);
    await expect(startConsoleServer(context, { host: '0.0.0.0' })).rejects.toThrow(
      "the console only binds to loopback (it has no login), not '0.0.0.0'",
    );
  });

  it('streams which execution changed, as it changes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${api}/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    let text = '';
    try {
      await post('/executions', { stateMachine: 'scalelab-demo', name: 'live-1', input: '{}' });
      await waitFor(async () => {
        const chunk = await reader?.read();
        text += new TextDecoder().decode(chunk?.value);
        return text.includes(':execution:scalelab-demo:live-1","status":"RUNNING"');
      });
      expect(text).toContain('event: execution\n');
    } finally {
      controller.abort();
      await post('/executions/scalelab-demo/live-1/stop', {});
    }
  });
});
