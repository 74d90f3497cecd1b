/**
 * The operator commands (start, list, show, replay, redrive, stop) and `serve`, each loaded when
 * called: `list` should not pay for loading the local cloud that `serve` needs.
 */
type Command = (args: string[]) => Promise<number>;

export const serveCommand: Command = async (args) => (await import('./serve.js')).serveCommand(args);
export const startCommand: Command = async (args) => (await import('./start.js')).startCommand(args);
export const listCommand: Command = async (args) => (await import('./list.js')).listCommand(args);
export const showCommand: Command = async (args) => (await import('./show.js')).showCommand(args);
export const replayCommand: Command = async (args) => (await import('./replay.js')).replayCommand(args);
export const redriveCommand: Command = async (args) => (await import('./redrive.js')).redriveCommand(args);
export const stopCommand: Command = async (args) => (await import('./stop.js')).stopCommand(args);
