import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asksForHelp, commandHelp, usage } from '../../cli/help.js';
import { allCommands, commandNames, findCommand } from '../../cli/registry.js';
import { CLI } from '../helpers/processes.js';

const commands = await allCommands();

/** The options a help text lists: each line starting with two spaces and `--`. */
function documented(help: string): string[] {
  return [...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((match) => match[1] ?? '').sort();
}

/** The modules a file imports when it loads (type-only imports are erased, so they do not count). */
function staticImports(source: string): string[] {
  return [...source.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gm)].map((match) => match[1] ?? '');
}

describe('the command registry', () => {
  it('finds one command per file in cli/commands/, named for it', () => {
    expect(commands.map((command) => command.name)).toEqual(commandNames());
    expect(commandNames()).toEqual(expect.arrayContaining(['app', 'run', 'up', 'serve', 'start', 'stop']));
  });

  it('knows nothing that is not a file there', async () => {
    expect(await findCommand('nonsense')).toBeUndefined();
    expect(await findCommand('../help')).toBeUndefined();
  });

  it.each(commandNames())(
    'cli/commands/%s.ts imports only the declaration vocabulary, so listing commands stays light',
    (name) => {
      const source = readFileSync(new URL(`../../cli/commands/${name}.ts`, import.meta.url), 'utf8');
      // Anything else (the AWS SDK, the local cloud) belongs in the implementation `run` imports.
      for (const module of staticImports(source))
        expect(['../command.js', '../options.js']).toContain(module);
    },
  );
});

describe('scalelab help', () => {
  it.each(commands.map((command) => [command.name, command] as const))(
    'lists %s with its summary',
    (name, command) => {
      const lines = usage(commands).split('\n');
      expect(
        lines.filter((line) => line.startsWith(`  ${name} `) && line.endsWith(command.summary)),
      ).toHaveLength(1);
    },
  );
});

describe('scalelab <command> --help', () => {
  it.each(commands.map((command) => [command.name, command] as const))(
    '%s lists exactly the options it accepts',
    (name, command) => {
      const help = commandHelp(command);
      expect(help).toMatch(new RegExp(`^Usage: scalelab ${name}\\b`));
      expect(documented(help)).toEqual(Object.keys(command.options).sort());
    },
  );

  it('prints the help and exits 0 without running the command', () => {
    // `up` would bring the lab up and hold ports; with --help it must only print.
    const result = spawnSync(process.execPath, [CLI, 'up', '--time-scale', '60', '--help'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: scalelab up [options]');
    expect(result.stdout).toContain('--scaling-port P');
  });

  it('reads -h and --help as options only before --', () => {
    expect(asksForHelp(['-h'])).toBe(true);
    expect(asksForHelp(['lab-1', '--help'])).toBe(true);
    expect(asksForHelp(['--', '--help'])).toBe(false);
    expect(asksForHelp(['--name', 'x'])).toBe(false);
  });
});
