/** The operator commands (start, list, show, replay, redrive, stop) and `serve`: see each module. */
type Command = (args: string[]) => Promise<number>;

function notYet(name: string): Command {
  return async function notImplemented() {
    process.stderr.write(`scalelab ${name}: not implemented yet\n`);
    return 1;
  };
}

export const serveCommand: Command = notYet('serve');
export const startCommand: Command = notYet('start');
export const listCommand: Command = notYet('list');
export const showCommand: Command = notYet('show');
export const replayCommand: Command = notYet('replay');
export const redriveCommand: Command = notYet('redrive');
export const stopCommand: Command = notYet('stop');
