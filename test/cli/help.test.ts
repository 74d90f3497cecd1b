import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OPTIONS as APP } from '../../cli/app-command.js';
import { FOLLOW_OPTIONS } from '../../cli/executions/follow.js';
import { OPTIONS as LIST } from '../../cli/executions/list.js';
import { OPTIONS as REPLAY } from '../../cli/executions/replay.js';
import { OPTIONS as SERVE } from '../../cli/executions/serve.js';
import { OPTIONS as START } from '../../cli/executions/start.js';
import { OPTIONS as STOP } from '../../cli/executions/stop.js';
import { TARGET_OPTIONS } from '../../cli/executions/target.js';
import { asksForHelp, COMMAND_HELP } from '../../cli/help.js';
import { OPTIONS as RUN } from '../../cli/run-lab-command.js';
import { OPTIONS as UP } from '../../cli/up-command.js';
import { CLI } from '../helpers/processes.js';

/** What each command's parser accepts, as `parseOptions` gets it. */
const ACCEPTED: Record<string, object> = {
  app: APP,
  run: RUN,
  up: UP,
  serve: SERVE,
  start: { ...TARGET_OPTIONS, ...START },
  list: { ...TARGET_OPTIONS, ...LIST },
  show: TARGET_OPTIONS,
  replay: { ...TARGET_OPTIONS, ...REPLAY },
  redrive: { ...TARGET_OPTIONS, ...FOLLOW_OPTIONS },
  stop: { ...TARGET_OPTIONS, ...STOP },
};

function documented(help: string): string[] {
  return [...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((match) => match[1] ?? '').sort();
}

describe('scalelab <command> --help', () => {
  it.each(Object.keys(ACCEPTED))('%s lists exactly the options it accepts', (command) => {
    const help = COMMAND_HELP[command] ?? '';
    expect(help).toMatch(new RegExp(`^Usage: scalelab ${command}\\b`));
    expect(documented(help)).toEqual(Object.keys(ACCEPTED[command] ?? {}).sort());
  });

  it('has help for every command and nothing else', () => {
    expect(Object.keys(COMMAND_HELP).sort()).toEqual(Object.keys(ACCEPTED).sort());
  });

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
