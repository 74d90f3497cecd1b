import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type SpawnedApp, spawnApp, stopChild } from '../helpers/processes.js';

const apps: SpawnedApp[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map(({ child }) => stopChild(child, 'SIGKILL')));
});

describe('scalelab app', () => {
  it.each([
    [['app', 'bogus'], /expected one app name \(seed or serve\), got 'bogus'/],
    [['app', 'seed', '--port', '70000'], /--port must be an integer from 0 to 65535, got '70000'/],
    [['app', 'serve', '--time-scale', '0'], /--time-scale must be a number greater than 0/],
    [['app', 'seed', '--colour'], /Unknown option '--colour'/],
    [['nonsense'], /unknown command 'nonsense'/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 1 naming the address when the port is taken', async () => {
    const first = await spawnApp(['seed', '--port', '0']);
    apps.push(first);
    const port = new URL(first.url).port;
    const { code, stderr } = await runCli(['app', 'seed', '--port', port]);
    expect(code).toBe(1);
    expect(stderr).toMatch(`cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
  });

  it('prints one listening line and stops cleanly on SIGINT', async () => {
    const app = await spawnApp(['seed', '--port', '0', '--instance-id', 'i-0cli']);
    expect(app.output()).toMatch(
      /^seed app listening on http:\/\/127\.0\.0\.1:\d+ \(instance i-0cli, private IP 127\.0\.0\.1, pid \d+\)\n$/,
    );
    expect(await stopChild(app.child, 'SIGINT')).toBe(0);
    expect(app.output()).toMatch(/seed app stopped \(SIGINT\)/);
  });
});
