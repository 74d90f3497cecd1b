/**
 * A real headless Chromium for the console's and report.html's tests: Debian's `chromium`, driven
 * by playwright-core (which downloads no browser). `.ci/chromium` installs it in CI, where a
 * missing browser fails the tests; elsewhere they are skipped with the reason, so `npm test` needs
 * no browser on a user's machine.
 */
import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';

const CANDIDATES = [process.env.SCALELAB_CHROMIUM, 'chromium', 'chromium-browser'];

function which(command: string): string | undefined {
  if (command.includes('/')) return command;
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The Chromium the tests drive, or undefined when this machine has none. */
export const CHROMIUM_PATH = CANDIDATES.filter((c): c is string => Boolean(c))
  .map(which)
  .find(Boolean);

const mustRun = Boolean(process.env.CI);

/**
 * `describe` for tests that need the browser: skipped, saying why, when there is none, except in
 * CI, where it runs and fails.
 */
export function describeInBrowser(title: string, body: () => void): void {
  const skip = !CHROMIUM_PATH && !mustRun;
  describe.skipIf(skip)(skip ? `${title} (skipped: no chromium; install Debian's chromium)` : title, body);
}

/** Headless Chromium; close it in afterAll. Root (a CI container) needs --no-sandbox. */
export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM_PATH)
    throw new Error("no Chromium on this machine: run .ci/chromium or install Debian's chromium");
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: asRoot ? ['--no-sandbox'] : [],
    timeout: 30_000,
  });
}
