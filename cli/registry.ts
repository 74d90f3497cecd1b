/**
 * The command registry: the files in cli/commands/, one per command, each exporting `command`
 * (see command.ts). The registry finds them by listing that folder, so adding a command is adding
 * its file there and nothing else; the file's name is the command's name.
 *
 * Built, the folder listed is dist/cli/commands/: `tsc` does not delete outputs, so a command
 * whose file was deleted (or renamed) stays callable until dist/ is rebuilt from clean.
 */
import { readdirSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.js';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);

/** The extension of the modules beside this one: `.js` once built, `.ts` when run from source (vitest). */
const EXTENSION = extname(fileURLToPath(import.meta.url));

/** A command's name: a word, so it can never name a path outside cli/commands/. */
const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;

/** The names of the declared commands: the modules in cli/commands/, without their extension. */
export function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((file) => extname(file) === EXTENSION && COMMAND_NAME.test(basename(file, EXTENSION)))
    .map((file) => basename(file, EXTENSION))
    .sort();
}

function isCommand(value: unknown): value is Command {
  const command = value as Partial<Command> | undefined;
  return (
    typeof command?.name === 'string' &&
    typeof command.summary === 'string' &&
    typeof command.options === 'object' &&
    typeof command.run === 'function'
  );
}

/** Imports cli/commands/<name> and checks that it declares that command. */
async function importCommand(name: string): Promise<Command> {
  const module = (await import(new URL(`${name}${EXTENSION}`, COMMANDS_DIR).href)) as { command?: unknown };
  if (!isCommand(module.command) || module.command.name !== name) {
    // A programming error, not a usage error: the declaration file is broken.
    throw new Error(
      `cli/commands/${name}${EXTENSION} must export command = defineCommand({ name: '${name}', … })`,
    );
  }
  return module.command;
}

/**
 * The command declared in cli/commands/<name>, or undefined when there is none. Only that one
 * file is imported: `scalelab list` does not load the other declarations.
 */
export async function findCommand(name: string): Promise<Command | undefined> {
  return commandNames().includes(name) ? importCommand(name) : undefined;
}

/** Every declared command, for `scalelab help` and the help test. */
export function allCommands(): Promise<Command[]> {
  return Promise.all(commandNames().map(importCommand));
}
