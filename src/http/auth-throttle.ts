/**
 * Throttling of repeated wrong credentials per client address: every wrong Basic
 * password costs an scrypt, and every wrong token is a guess. After `maxFailures`
 * refusals (401) of requests that carried credentials within `windowMs`, an address gets
 * 429 with Retry-After for any credentials until that window ends. A success never
 * counts. In memory and bounded: past `maxClients` addresses the oldest is forgotten.
 * Behind a reverse proxy every client has the proxy's address, so they share one count.
 */
import type { Request, RequestHandler } from 'express';
import { HttpFault } from './errors.js';

/** The limits of an AuthThrottle; the clock is injectable for tests. */
export interface AuthThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  maxClients?: number;
  now?: () => number;
}

/** Refusals per client address within a window. */
export class AuthThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(opts: AuthThrottleOptions = {}) {
    this.maxFailures = opts.maxFailures ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxClients = opts.maxClients ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** How long `client` must wait before it may present credentials again; 0 when it may now. */
  waitMs(client: string): number {
    const entry = this.failures.get(client);
    const left = entry === undefined ? 0 : entry.resetAt - this.now();
    return entry !== undefined && left > 0 && entry.count >= this.maxFailures ? left : 0;
  }

  /** Counts one refusal of `client`'s credentials. */
  failed(client: string): void {
    const now = this.now();
    const entry = this.failures.get(client);
    if (entry !== undefined && entry.resetAt > now) {
      entry.count += 1;
      return;
    }
    this.failures.delete(client);
    // Map order is insertion order: the first key is the oldest window.
    if (this.failures.size >= this.maxClients) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(client, { count: 1, resetAt: now + this.windowMs });
  }

  /** Addresses remembered now (for tests of the bound). */
  get size(): number {
    return this.failures.size;
  }
}

/** Whether a request presents credentials in a header (`Authorization`, `X-API-Key`). */
export const carriesCredentials = (req: Request): boolean => req.get('authorization') !== undefined || req.get('x-api-key') !== undefined;

/**
 * Answers 429 with Retry-After to an address that presented wrong credentials too often,
 * before any password is checked, and counts the 401s of requests that carried credentials
 * (`carries` tells, for routes that take them elsewhere, e.g. in the path).
 * @example app.use(['/xapi', '/admin'], authThrottle(new AuthThrottle()))
 */
export function authThrottle(throttle: AuthThrottle, carries: (req: Request) => boolean = carriesCredentials): RequestHandler {
  return (req, res, next) => {
    if (!carries(req)) return next();
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = throttle.waitMs(client);
    if (wait > 0) {
      throw new HttpFault('too-many-requests', 'too many refused credentials from this address; try again later', { 'Retry-After': String(Math.ceil(wait / 1000)) });
    }
    res.on('finish', () => {
      if (res.statusCode === 401) throttle.failed(client);
    });
    next();
  };
}
