/**
 * A proxy in front of a real LRS that misbehaves on demand, as networks and LRSs do:
 * it refuses connections (by not listening), answers a status of its choice with
 * `Retry-After`, refuses bodies over a size with 413, hides the LRS's body behind a
 * 204, holds the LRS's reply back, or resets the connection after the LRS stored a batch. It records the statement ids of every POST it
 * forwards, so tests can prove that nothing was sent twice.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with the next requests. */
export type ProxyMode =
  | { kind: 'forward'; delayMs?: number }
  | { kind: 'status'; status: number; retryAfter?: string; times?: number }
  | { kind: 'max-body'; bytes: number }
  | { kind: 'reply-204' }
  /** Forwards, but keeps the LRS's reply of every POST after the first `after` POSTs until `release()`. */
  | { kind: 'hold-reply'; after: number }
  /** Forwards, then resets the connection instead of replying (the LRS stored it; the sender cannot know), `times` times. */
  | { kind: 'reset'; times: number };

/** A running proxy. */
export class LrsProxy {
  mode: ProxyMode = { kind: 'forward' };
  /** Statement ids of every POST forwarded to the LRS, in order. */
  readonly forwardedIds: string[] = [];
  requests = 0;
  /** POSTs received so far: `hold-reply` counts these. */
  private posts = 0;
  /** Requests being forwarded now (a held one is done forwarding). */
  private forwarding = 0;
  private settledWaiters: (() => void)[] = [];
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private held: (() => void)[] = [];
  private heldWaiters: (() => void)[] = [];
  port = 0;

  private constructor(private readonly target: URL) {
    this.server = this.createServer();
  }

  /** Starts a proxy to `target` (the LRS origin) on a loopback port. */
  static async start(target: string): Promise<LrsProxy> {
    const proxy = new LrsProxy(new URL(target));
    await proxy.listen();
    return proxy;
  }

  /** The xAPI endpoint through the proxy. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/xapi/`;
  }

  /** Stops listening and cuts open connections: clients get ECONNREFUSED. */
  async down(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    this.server = this.createServer();
    await this.listen();
  }

  /** Resolves when a reply is being held. */
  waitForHeld(): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Resolves when no request is being forwarded: every one received is stored upstream, or held, or failed. */
  settled(): Promise<void> {
    if (this.forwarding === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Lets held replies go. */
  release(): void {
    for (const go of this.held.splice(0)) go();
  }

  async close(): Promise<void> {
    this.release();
    await this.down();
  }

  private listen(): Promise<void> {
    return new Promise((resolve) => {
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private createServer(): Server {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.forwarding += 1;
    try {
      await this.answer(req, res);
    } catch {
      // The client went away mid-request (a killed flusher): nothing to answer.
      res.destroy();
    } finally {
      this.doneForwarding();
    }
  }

  private doneForwarding(): void {
    if (--this.forwarding === 0) for (const w of this.settledWaiters.splice(0)) w();
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests += 1;
    if (req.method === 'POST') this.posts += 1;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const mode = this.mode;
    if (mode.kind === 'status') {
      if (mode.times !== undefined && --mode.times <= 0) this.mode = { kind: 'forward' };
      res.writeHead(mode.status, { 'Content-Type': 'application/json', ...(mode.retryAfter && { 'Retry-After': mode.retryAfter }) });
      res.end(JSON.stringify({ error: `proxy says ${mode.status}` }));
      return;
    }
    if (mode.kind === 'max-body' && body.length > mode.bytes) {
      res.writeHead(413).end();
      return;
    }
    const upstream = await this.forward(req, body);
    if (req.method === 'POST' && upstream.status < 300) {
      for (const s of JSON.parse(body.toString()) as { id: string }[]) this.forwardedIds.push(s.id);
    }
    if (mode.kind === 'forward' && mode.delayMs) await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
    if (mode.kind === 'hold-reply' && req.method === 'POST' && this.posts > mode.after) {
      // Held: its forwarding is done (counted as such until the reply goes).
      this.doneForwarding();
      await new Promise<void>((resolve) => {
        this.held.push(resolve);
        for (const w of this.heldWaiters.splice(0)) w();
      });
      this.forwarding += 1;
    }
    if (mode.kind === 'reset') {
      if (--mode.times <= 0) this.mode = { kind: 'forward' };
      req.socket.resetAndDestroy();
      return;
    }
    if (mode.kind === 'reply-204' && upstream.status < 300) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(upstream.status, upstream.headers).end(upstream.body);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = request(
        { host: this.target.hostname, port: this.target.port, path: req.url, method: req.method, headers: { ...req.headers, host: this.target.host } },
        (upstream) => {
          const parts: Buffer[] = [];
          upstream.on('data', (c: Buffer) => parts.push(c));
          upstream.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(upstream.headers)) if (typeof v === 'string' && k !== 'transfer-encoding' && k !== 'connection') headers[k] = v;
            resolve({ status: upstream.statusCode ?? 502, headers, body: Buffer.concat(parts) });
          });
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }
}
