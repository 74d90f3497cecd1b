import { createServer, type Server } from 'node:net';
import { InsufficientAddressCapacity } from './errors.js';

/** Fourth octets handed out per pool; each instance gets its own 127.a.b.x as its "private IP". */
const FIRST_HOST = 10;
const LAST_HOST = 250;

/** Listens on ip:port, resolving the listening server, or undefined when the port is taken. */
function listenOn(ip: string, port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const holder = createServer((socket) => socket.destroy());
    holder.once('error', () => resolve(undefined));
    holder.listen(port, ip, () => resolve(holder));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Hands out distinct loopback addresses (127.0.0.0/8 is all routed to `lo` on Linux) whose
 * instance port is free, so every local instance can listen on port 5000 like an EC2 instance.
 * `subnet` picks the 127.a.b.0/24 block: 127.0.0.x for a person's lab, another block for tests
 * running in parallel.
 *
 * An address is reserved by listening on its port, from allocation until the instance's app is
 * about to bind it (`claim`), and again while the instance is stopped (`hold`): the kernel, not
 * this process's memory, keeps two labs on one machine (two processes) from picking the same one.
 */
export class AddressPool {
  private readonly inUse = new Map<string, Server | undefined>();
  private next = FIRST_HOST;

  constructor(
    private readonly subnet = '127.0.0',
    private readonly port = 5000,
  ) {}

  /** An address whose port this pool now holds. */
  async allocate(): Promise<string> {
    for (let tried = 0; tried <= LAST_HOST - FIRST_HOST; tried++) {
      const ip = `${this.subnet}.${this.next}`;
      this.next = this.next >= LAST_HOST ? FIRST_HOST : this.next + 1;
      if (this.inUse.has(ip)) continue;
      this.inUse.set(ip, undefined);
      const holder = await listenOn(ip, this.port);
      if (holder) {
        this.inUse.set(ip, holder);
        return ip;
      }
      this.inUse.delete(ip);
    }
    throw new InsufficientAddressCapacity(`no address in ${this.subnet}.0/24 has port ${this.port} free`);
  }

  /** Lets go of the port so the instance's app can bind it now; the address stays this pool's. */
  async claim(ip: string): Promise<void> {
    const holder = this.inUse.get(ip);
    if (!holder) return;
    this.inUse.set(ip, undefined);
    await closeServer(holder);
  }

  /** Holds the port again while the instance is stopped; false when another process took it. */
  async hold(ip: string): Promise<boolean> {
    if (!this.inUse.has(ip) || this.inUse.get(ip)) return true;
    const holder = await listenOn(ip, this.port);
    if (holder) this.inUse.set(ip, holder);
    return holder !== undefined;
  }

  /** Forgets the address and lets go of its port. */
  async release(ip: string): Promise<void> {
    const holder = this.inUse.get(ip);
    this.inUse.delete(ip);
    if (holder) await closeServer(holder);
  }
}
