/**
 * What a command declares: the vocabulary of the files in cli/commands/, one per command, from
 * which the registry builds `scalelab help` and `scalelab <command> --help`.
 *
 * This module and cli/options.ts are all a declaration may import statically: the registry
 * imports every declaration on every run, so anything heavier (the AWS SDK, the local cloud)
 * is imported by the command's `run` when it runs.
 */

interface OptionHelp {
  /** The option's line in `--help`, after its flag. */
  help: string;
  /** A line printed above this option in `--help`, opening a group of options. */
  heading?: string;
}

/** An option with a value: `--port P`. */
export interface StringOption extends OptionHelp {
  type: 'string';
  /** The value's placeholder in help: the `P` of `--port P`. */
  value: string;
  multiple?: boolean;
  default?: string;
}

/** A flag: `--json`. */
export interface BooleanOption extends OptionHelp {
  type: 'boolean';
  default?: boolean;
}

/** One option: what `parseArgs` reads (type, multiple, default) and what `--help` says of it. */
export type OptionSpec = StringOption | BooleanOption;

/**
 * A command's options, in the order `--help` lists them. The same object is what the command's
 * implementation hands to `parseOptions`, so an option cannot be accepted without being listed.
 */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The groups `scalelab help` lists commands under, in this order, each with its heading. */
export const SECTIONS = {
  local: 'On this machine:',
  executions: "Executions of the lab state machine, at 'scalelab serve' or on AWS (--aws):",
} as const;

/** The group a command is listed under in `scalelab help`. */
export type Section = keyof typeof SECTIONS;

/** One command, declared once: its place in `scalelab help`, its `--help`, and how it runs. */
export interface Command {
  /** The word after `scalelab`; also the name of the file in cli/commands/ that declares it. */
  name: string;
  /** The group `scalelab help` lists it under (alphabetically within the group). */
  section: Section;
  /** Operands before the options on its usage lines, e.g. `seed|serve` or `<execution>`. */
  operands?: string;
  /** Its one line in `scalelab help`, lower case, no full stop. */
  summary: string;
  /** The options `scalelab help` shows beside its name: the ones most runs use. */
  featured?: readonly string[];
  /** What `--help` says under the usage line: full sentences. */
  description: string;
  options: OptionTable;
  /** Runs it with the arguments after its name; returns the exit code (0, 1, or 2 for bad usage). */
  run(args: string[]): Promise<number>;
}

/**
 * Declares a command; the type parameter checks that `featured` names options it has.
 * A file in cli/commands/ exports the result as `command`.
 */
export function defineCommand<const T extends OptionTable>(
  command: Command & { options: T; featured?: readonly (keyof T & string)[] },
): Command {
  return command;
}
