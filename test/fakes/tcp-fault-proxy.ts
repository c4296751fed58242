/**
 * A TCP proxy in front of PostgreSQL that fails on demand, as a database host and its
 * network do: it forwards, refuses (closes new connections at once, as a stopped
 * server's host does), freezes (accepts and keeps every socket open but passes nothing,
 * as a hung server or a dropped network does), or resets every open connection.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the proxy does with bytes and new connections. */
export type FaultMode = 'forward' | 'refuse' | 'freeze';

/** One client connection and, once forwarded, its upstream. */
interface Pair {
  client: Socket;
  upstream?: Socket;
}

/** A running proxy. */
export class TcpFaultProxy {
  private modeNow: FaultMode = 'forward';
  private readonly pairs = new Set<Pair>();
  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Starts a proxy to `target` (default: PostgreSQL on 127.0.0.1:5432) on a loopback port. */
  static async start(target = { host: '127.0.0.1', port: 5432 }): Promise<TcpFaultProxy> {
    const proxy = new TcpFaultProxy(createServer({ pauseOnConnect: true }), target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The port clients connect to. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The current mode. */
  get mode(): FaultMode {
    return this.modeNow;
  }

  /** Switches mode: freezing stops the bytes of open connections too; forwarding lets them through again. */
  setMode(mode: FaultMode): void {
    this.modeNow = mode;
    for (const pair of this.pairs) {
      if (mode === 'freeze') freeze(pair);
      else if (mode === 'forward' && pair.upstream === undefined) this.connectUpstream(pair);
      else if (mode === 'forward') join(pair);
    }
  }

  /** Destroys every open connection, both sides, as a restarted server or a reset network does. */
  reset(): void {
    for (const pair of this.pairs) this.drop(pair);
  }

  /** Open connections, for tests that check the pool reconnects. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.modeNow === 'refuse') {
      client.destroy();
      return;
    }
    const pair: Pair = { client };
    this.pairs.add(pair);
    client.on('error', () => this.drop(pair));
    client.on('close', () => this.drop(pair));
    // Frozen: the socket stays accepted and paused, with nothing behind it.
    if (this.modeNow === 'forward') this.connectUpstream(pair);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
    join(pair);
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}

/** Bytes flow both ways (pipe resumes both sockets). */
function join(pair: Pair): void {
  pair.client.pipe(pair.upstream!);
  pair.upstream!.pipe(pair.client);
}

/** No byte moves either way: unpiped, so that no drain resumes them, and paused. */
function freeze(pair: Pair): void {
  if (pair.upstream !== undefined) {
    pair.client.unpipe(pair.upstream);
    pair.upstream.unpipe(pair.client);
    pair.upstream.pause();
  }
  pair.client.pause();
}
