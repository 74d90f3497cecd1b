import { APP_NAMES, type AppName, startInstanceServer } from '../node-app/instance-server.js';
import { OPTIONS } from './commands/app.js';
import { intOption, numberOption, parseOptions } from './parse-options.js';
import { untilStopSignal } from './stop-signal.js';
import { UsageError } from './usage-error.js';

function isAppName(value: string | undefined): value is AppName {
  return APP_NAMES.includes(value as AppName);
}

const GO = 'go';

/** Resolves with {@link GO} once a line "go" arrives on stdin. */
function untilGo(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      if (!text.split('\n').slice(0, -1).includes(GO)) return;
      process.stdin.off('data', onData);
      resolve(GO);
    };
    process.stdin.on('data', onData).resume();
  });
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
    heldClockFile: values['held-clock'],
    failStart: values['fail-start'] === true,
  };
  const stop = untilStopSignal({ stdinClose: values['exit-on-stdin-close'] });
  try {
    if (values['wait-for-go']) {
      process.stdout.write(`${app} app ready (pid ${process.pid})\n`);
      const stopped = await Promise.race([untilGo(), stop.signal]);
      if (stopped !== GO) {
        process.stdout.write(`${app} app stopped before listening (${stopped})\n`);
        return 0;
      }
    }
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
