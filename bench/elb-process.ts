/**
 * The local ELB alone in its own process, for the ELB bench: nginx and the Node floor each run in
 * a fresh process, and so must the ELB, or it pays for the garbage and timers the benches before
 * it left in the bench's own process (measured: 0.87x of the floor there, 0.95-1.1x alone).
 *
 * Argument: the targets as JSON `[[ip, port], …]`. Prints the listener's URL as JSON once every
 * target is healthy; ends when its stdin closes, so it never outlives the bench (even on SIGKILL).
 */
import { Clock } from '../local/clock.js';
import { LocalElb } from '../local/elb/index.js';
import { waitUntil } from './wait.js';

async function main(): Promise<void> {
  const targets = JSON.parse(process.argv[2] ?? '[]') as [string, number][];
  const elb = new LocalElb({ clock: new Clock({ scale: 1 }) });
  process.stdin.on('close', () => void elb.close().finally(() => process.exit(0)));
  process.stdin.resume();
  const lb = await elb.createLoadBalancer({ name: 'bench' });
  const group = elb.createTargetGroup({ name: 'bench', port: 5000 });
  elb.createListener(lb, group);
  elb.registerTargets(
    group,
    targets.map(([ip, port], i) => ({ id: `i-bench${i}`, ip, port })),
  );
  await waitUntil(
    () => elb.describeTargetHealth(group).every((d) => d.targetHealth.state === 'healthy'),
    'the bench targets to be healthy',
  );
  process.stdout.write(`${JSON.stringify(lb.url)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`elb-process: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
