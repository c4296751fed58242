/**
 * An HTTP server on a loopback port that answers each request with the next fault of
 * its script, as unwell servers and networks do: a status with headers, a body cut by a
 * reset after its first bytes, or no answer at all. Once the script is spent it answers
 * 200 `ok`. It counts requests and tells when one arrives, so tests wait on events, not time.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';

/** What the server does with one request. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Sends the headers of a 200 and part of the body, then resets the connection. */
  | { kind: 'reset-mid-body' }
  /** Never answers (until the client gives up or the server closes). */
  | { kind: 'hang' };

/** A running server. */
export class FaultyHttpServer {
  /** The faults of the next requests, consumed in order. */
  readonly script: Fault[] = [];
  /** Every request received, in order. */
  readonly received: IncomingMessage[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('request', (req: IncomingMessage, res) => {
      this.received.push(req);
      req.resume();
      const fault = this.script.shift() ?? { kind: 'status', status: 200, body: 'ok' };
      if (fault.kind === 'hang') return;
      if (fault.kind === 'reset-mid-body') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
        res.write('partial', () => res.socket?.destroy());
        return;
      }
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
      res.end(fault.body ?? '');
    });
  }

  /** Starts a server on a loopback port. */
  static async start(): Promise<FaultyHttpServer> {
    const faulty = new FaultyHttpServer(createServer());
    faulty.server.listen(0, '127.0.0.1');
    await once(faulty.server, 'listening');
    return faulty;
  }

  /** The base URL, ending in `/`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Resolves when the next request arrives. */
  nextRequest(): Promise<void> {
    return once(this.server, 'request').then(() => undefined);
  }

  /** Stops listening and cuts open connections: clients then get ECONNREFUSED. */
  async close(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}
