/**
 * A TCP proxy in front of a server (PostgreSQL, here) that fails as a database does on a
 * bad day: it refuses connections (resets them at once) or freezes (accepts, then moves
 * no byte either way until it forwards again).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the proxy does with connections, new and open. */
export type TcpFaultMode = 'forward' | 'refuse' | 'freeze';

/** One client connection and its upstream. */
interface Pair {
  client: Socket;
  upstream: Socket;
}

/** A running proxy to 127.0.0.1:`targetPort`. */
export class TcpFaultProxy {
  private current: TcpFaultMode = 'forward';
  private readonly pairs = new Set<Pair>();
  private readonly server: Server;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Listens on a loopback port and returns it. */
  start(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port)));
  }

  get mode(): TcpFaultMode {
    return this.current;
  }

  /** Applies to open connections too: frozen ones stop moving bytes, and move them again when forwarding resumes. */
  set mode(mode: TcpFaultMode) {
    this.current = mode;
    for (const { client, upstream } of this.pairs) {
      if (mode === 'freeze') {
        client.pause();
        upstream.pause();
      } else {
        client.resume();
        upstream.resume();
      }
    }
  }

  /** Cuts every open connection with a reset, as a database restart or a network failure would. */
  resetAll(): void {
    for (const pair of this.pairs) this.drop(pair);
  }

  /** Cuts every connection and stops listening. */
  async close(): Promise<void> {
    this.resetAll();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    if (this.current === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair = { client, upstream };
    this.pairs.add(pair);
    // Data flows only while forwarding; paused sockets hold it (TCP backpressure does the rest).
    client.on('data', (d: Buffer) => upstream.write(d));
    upstream.on('data', (d: Buffer) => client.write(d));
    if (this.current === 'freeze') {
      client.pause();
      upstream.pause();
    }
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.drop(pair));
      socket.on('close', () => this.drop(pair));
    }
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (!pair.upstream.destroyed) pair.upstream.destroy();
  }
}
