/**
 * `scalelab help` and `scalelab <command> --help`, generated from the command declarations: a
 * command's help lists its option table, so nothing it accepts goes undocumented.
 */
import { type Command, type OptionSpec, SECTIONS } from './command.js';

/** Where option help starts (after the two-space indent). */
const OPTION_COLUMN = 19;
/** Where command summaries start in `scalelab help` (after the two-space indent). */
const SUMMARY_COLUMN = 39;

/** `left` padded to `width`, or followed by three spaces when it runs past the column. */
function cell(left: string, width: number): string {
  return left.length <= width - 3 ? left.padEnd(width) : `${left}   `;
}

/** `--port P`, `--json`. */
function flag(name: string, option: OptionSpec): string {
  return option.type === 'string' ? `--${name} ${option.value}` : `--${name}`;
}

function optionLines(command: Command): string[] {
  return Object.entries(command.options).flatMap(([name, option]) => [
    ...(option.heading ? [option.heading] : []),
    `  ${cell(flag(name, option), OPTION_COLUMN)}${option.help}`,
  ]);
}

/** `scalelab <command> --help`: its usage line, what it does, then each option it accepts. */
export function commandHelp(command: Command): string {
  const usage = ['Usage: scalelab', command.name, command.operands, '[options]'].filter(Boolean).join(' ');
  return [usage, command.description, ...optionLines(command)].join('\n');
}

/** A command's line in `scalelab help`: name, operands, its featured options, its summary. */
function summaryLine(command: Command): string {
  const featured = (command.featured ?? []).map((name) => {
    const option = command.options[name];
    return option ? `[${flag(name, option)}]` : '';
  });
  const left = [command.name, command.operands, ...featured].filter(Boolean).join(' ');
  return `  ${cell(left, SUMMARY_COLUMN)}${command.summary}`;
}

/** `scalelab help`: every command, by section, alphabetically within one. */
export function usage(commands: readonly Command[]): string {
  const sections = Object.entries(SECTIONS).flatMap(([section, heading]) => {
    const listed = commands
      .filter((command) => command.section === section)
      .sort((a, b) => a.name.localeCompare(b.name));
    return listed.length === 0 ? [] : ['', heading, ...listed.map(summaryLine)];
  });
  return [
    'Usage: scalelab <command> [options]',
    ...sections,
    '',
    "'scalelab help' shows this; 'scalelab <command> --help' shows a command's options.",
  ].join('\n');
}

/** Whether the arguments ask for help: `--help` or `-h` before any `--`. */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
