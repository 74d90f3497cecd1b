/**
 * The pool of keep-alive connections from one load balancer to its targets. The 10 s connect
 * timeout lives here, once per new connection, rather than as a timer per forwarded request.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../clock.js';
import { TARGET_CONNECT_TIMEOUT_SECONDS } from './constants.js';
import { TargetTimeoutError } from './errors.js';

/** Idle pooled connections are closed after 4 s: before a Node target's default 5 s keep-alive does. */
const AGENT_OPTIONS: http.AgentOptions = { keepAlive: true, maxFreeSockets: 256, timeout: 4_000 };

export class TargetAgent extends http.Agent {
  constructor(private readonly clock: Clock) {
    super(AGENT_OPTIONS);
  }

  override createConnection(options: http.ClientRequestArgs): Duplex {
    const socket = net.createConnection(options as net.NetConnectOpts);
    const timer = this.clock.setTimeout(
      () => socket.destroy(new TargetTimeoutError('no connection to the target within the connect timeout')),
      TARGET_CONNECT_TIMEOUT_SECONDS,
    );
    socket.once('connect', () => timer.cancel());
    socket.once('close', () => timer.cancel());
    return socket;
  }
}
