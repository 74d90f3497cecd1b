import { createServer } from 'node:net';
import { InsufficientAddressCapacity } from './errors.js';

/** Fourth octets handed out per pool; each instance gets its own 127.a.b.x as its "private IP". */
const FIRST_HOST = 10;
const LAST_HOST = 250;

function portIsFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, ip, () => probe.close(() => resolve(true)));
  });
}

/**
 * Hands out distinct loopback addresses (127.0.0.0/8 is all routed to `lo` on Linux) whose
 * instance port is free, so every local instance can listen on port 5000 like an EC2 instance.
 * `subnet` picks the 127.a.b.0/24 block: 127.0.0.x for a person's lab, another block for tests
 * running in parallel.
 */
export class AddressPool {
  private readonly inUse = new Set<string>();
  private next = FIRST_HOST;

  constructor(
    private readonly subnet = '127.0.0',
    private readonly port = 5000,
  ) {}

  async allocate(): Promise<string> {
    for (let tried = 0; tried <= LAST_HOST - FIRST_HOST; tried++) {
      const ip = `${this.subnet}.${this.next}`;
      this.next = this.next >= LAST_HOST ? FIRST_HOST : this.next + 1;
      if (this.inUse.has(ip)) continue;
      this.inUse.add(ip);
      if (await portIsFree(ip, this.port)) return ip;
      this.inUse.delete(ip);
    }
    throw new InsufficientAddressCapacity(`no address in ${this.subnet}.0/24 has port ${this.port} free`);
  }

  release(ip: string): void {
    this.inUse.delete(ip);
  }
}
