import { APP_NAMES, type AppName, startInstanceServer } from '../node-app/instance-server.js';
import { intOption, numberOption, parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

const OPTIONS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string' },
  'instance-id': { type: 'string' },
  'private-ip': { type: 'string' },
  imds: { type: 'boolean', default: false },
  'time-scale': { type: 'string' },
  // The local cloud holds the other end of stdin: when it dies, even by SIGKILL, the pipe
  // closes and the instance exits instead of lingering as an orphan.
  'exit-on-stdin-close': { type: 'boolean', default: false },
} as const;

function isAppName(value: string | undefined): value is AppName {
  return APP_NAMES.includes(value as AppName);
}

/** Resolves when the process is asked to stop: SIGTERM, SIGINT, or (optionally) stdin closing. */
function stopRequested(watchStdin: boolean): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    if (watchStdin) {
      process.stdin.once('close', () => resolve('stdin closed'));
      process.stdin.once('end', () => resolve('stdin closed'));
      process.stdin.resume();
    }
  });
}

/** `scalelab app seed|serve`: one instance server, in the foreground, until a signal stops it. */
export async function appCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, true);
  const [app, extra] = positionals;
  if (!isAppName(app) || extra !== undefined) {
    throw new UsageError(`expected one app name (${APP_NAMES.join(' or ')}), got '${positionals.join(' ')}'`);
  }
  const server = await startInstanceServer({
    app,
    host: values.host,
    port: intOption('port', values.port, 5000, 0, 65535),
    instanceId: values['instance-id'],
    privateIp: values['private-ip'],
    imds: values.imds,
    timeScale: numberOption('time-scale', values['time-scale'], 1, 10_000),
  });
  process.stdout.write(
    `${app} app listening on ${server.url} (instance ${server.instanceId}, private IP ${server.privateIp}, pid ${process.pid})\n`,
  );
  const reason = await stopRequested(values['exit-on-stdin-close']);
  await server.close();
  process.stdout.write(`${app} app stopped (${reason})\n`);
  process.stdin.destroy();
  return 0;
}
