import { APP_NAMES, type AppName, startInstanceServer } from '../node-app/instance-server.js';
import { OPTIONS } from './commands/app.js';
import { intOption, numberOption, parseOptions } from './parse-options.js';
import { untilStopSignal } from './stop-signal.js';
import { UsageError } from './usage-error.js';

function isAppName(value: string | undefined): value is AppName {
  return APP_NAMES.includes(value as AppName);
}

/** `scalelab app seed|serve`: one instance server, in the foreground, until a signal stops it. */
export async function appCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, true);
  const [app, extra] = positionals;
  if (!isAppName(app) || extra !== undefined) {
    throw new UsageError(`expected one app name (${APP_NAMES.join(' or ')}), got '${positionals.join(' ')}'`);
  }
  const options = {
    app,
    host: values.host,
    port: intOption('port', values.port, 5000, 0, 65535),
    instanceId: values['instance-id'],
    privateIp: values['private-ip'],
    imds: values.imds,
    timeScale: numberOption('time-scale', values['time-scale'], 1, 10_000),
    cpuShare: numberOption('cpu-share', values['cpu-share'], 1, 1),
    workersExitOnStdinClose: values['exit-on-stdin-close'] === true,
  };
  const stop = untilStopSignal({ stdinClose: values['exit-on-stdin-close'] });
  try {
    const server = await startInstanceServer(options);
    process.stdout.write(
      `${app} app listening on ${server.url} (instance ${server.instanceId}, private IP ${server.privateIp}, pid ${process.pid})\n`,
    );
    const reason = await stop.signal;
    await server.close();
    process.stdout.write(`${app} app stopped (${reason})\n`);
    return 0;
  } finally {
    stop.dispose();
  }
}
