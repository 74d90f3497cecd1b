import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskHandler } from '../../../local/stepfunctions/index.js';
import { waitFor } from '../../helpers/wait-for.js';
import { ASL_FIXTURES, type ServeFixture, scalelab, serveForTest } from './helpers.js';

const CALLBACK = 'arn:aws:states:us-east-1:000000000000:stateMachine:callback';

describe('exit codes, AWS errors and stop', () => {
  let s: ServeFixture;
  const tokens: string[] = [];
  beforeAll(async () => {
    const notify: TaskHandler = async (event) => void tokens.push((event as { taskToken: string }).taskToken);
    s = await serveForTest(
      ({ stepFunctions }) => [
        stepFunctions.createStateMachine({
          name: 'callback',
          definition: fs.readFileSync(path.join(ASL_FIXTURES, 'callback.asl.json'), 'utf8'),
          substitutions: { NotifyFunctionArn: notify },
        }).stateMachineArn ?? '',
        stepFunctions.createStateMachine({
          name: 'catch',
          definition: fs.readFileSync(path.join(ASL_FIXTURES, 'catch.asl.json'), 'utf8'),
          substitutions: { ValidateFunctionArn: async (event) => event },
        }).stateMachineArn ?? '',
        // Scale 50: the callback's 600 s heartbeat lasts 12 real seconds, longer than the test needs.
      ],
      50,
    );
  });
  afterAll(async () => {
    await s.close();
  });

  it('stops a running execution named on a state machine given by flag', async () => {
    const started = await scalelab(s.serve.url, [
      'start',
      '--state-machine-arn',
      CALLBACK,
      '--input',
      '{}',
      '--name',
      'waiting',
    ]);
    expect(started.code).toBe(0);
    await waitFor(() => tokens.length > 0, { what: 'the callback task to wait' });

    const stopped = await scalelab(s.serve.url, ['stop', 'waiting', '--cause', 'operator said so'], {
      SCALELAB_STATE_MACHINE_ARN: CALLBACK,
    });
    const shown = await scalelab(s.serve.url, ['show', 'waiting', '--json', '--state-machine-arn', CALLBACK]);

    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(
      /^stopped arn:aws:states:us-east-1:000000000000:execution:callback:waiting at \S+Z in state \w+$/m,
    );
    expect(shown.code).toBe(1);
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'ABORTED', cause: 'operator said so' });

    // Stopping it again: the command does not pretend, whatever the API answers.
    const again = await scalelab(s.serve.url, ['stop', 'waiting', '--state-machine-arn', CALLBACK]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^scalelab stop: execution waiting is not running: it is ABORTED at \S+Z; nothing to stop\n$/,
    );
  });

  it.each([
    [
      ['show', 'nope', '--state-machine-arn', CALLBACK],
      "ExecutionDoesNotExist: Execution Does Not Exist: 'arn:aws:states:us-east-1:000000000000:execution:callback:nope'",
    ],
    [
      ['start', '--state-machine-arn', CALLBACK, '--input', '{}', '--name', 'bad name'],
      "InvalidName: Invalid Name: 'bad name'",
    ],
    [['show', 'arn:aws:states:nope'], 'InvalidArn: Invalid Arn'],
    [
      ['start', '--state-machine-arn', `${CALLBACK}-gone`, '--input', '{}'],
      'StateMachineDoesNotExist: State Machine Does Not Exist',
    ],
  ])('prints AWS errors as <ErrorCode>: <message> and exits 1: %j', async (args, message) => {
    const result = await scalelab(s.serve.url, args);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('refuses to redrive a succeeded execution with ExecutionNotRedrivable', async () => {
    const sm = CALLBACK.replace('callback', 'catch');
    const done = await scalelab(s.serve.url, [
      'start',
      '--state-machine-arn',
      sm,
      '--input',
      '{}',
      '--name',
      'done',
      '--follow',
      '--poll-ms',
      '20',
    ]);
    expect(done.code).toBe(0);

    const result = await scalelab(s.serve.url, ['redrive', 'done', '--state-machine-arn', sm]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^scalelab redrive: ExecutionNotRedrivable: Execution Not Redrivable: .* is SUCCEEDED/,
    );
  });

  it('asks for --state-machine-arn when it cannot tell which state machine to use', async () => {
    const result = await scalelab(s.serve.url, ['list']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /cannot tell which state machine to use .* \(found 2: callback, catch\); pass --state-machine-arn/,
    );
  });

  it.each([
    [['show'], /expected one execution \(ARN or name\), got none/],
    [['show', 'a', 'b'], /expected one execution \(ARN or name\), got 'a b'/],
    [
      ['list', '--status', 'DONE', '--state-machine-arn', CALLBACK],
      /--status must be one of RUNNING, SUCCEEDED/,
    ],
    [['list', '--max', '0'], /--max must be an integer from 1/],
    [
      ['start', '--set', 'section2.maxSize=11'],
      /invalid lab configuration: section2\.maxSize must be an integer from 0 to 10 \(got 11\)/,
    ],
    [['start', '--set', 'novalue'], /--set expects key=value, got 'novalue'/],
    [['start', '--input', '{"a":1}', '--set', 'x=1'], /--input cannot be combined with --config or --set/],
    [['start', '--config', '/nonexistent/lab.json'], /--config \/nonexistent\/lab.json: ENOENT/],
    [
      ['stop', 'x', '--aws', '--endpoint', 'http://127.0.0.1:1'],
      /--aws and --endpoint cannot be used together/,
    ],
    [['list', '--endpoint', 'not a url'], /--endpoint must be a URL/],
    [['redrive', 'x', '--colour'], /Unknown option '--colour'/],
  ])('exits 2 for bad usage: %j', async (args, message) => {
    const result = await scalelab(s.serve.url, args);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 naming the endpoint when nothing listens there', async () => {
    const result = await scalelab('http://127.0.0.1:9', ['list', '--state-machine-arn', CALLBACK]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      'scalelab list: cannot reach http://127.0.0.1:9 (is `scalelab serve` running?)',
    );
  });
});
