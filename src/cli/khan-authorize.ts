/**
 * `khan authorize`, `khan coaches` and `khan revoke`: the one-time OAuth 1.0a set-up of a
 * Khan Academy coach (RFC 5849 §2, the three legs), then listing and revoking.
 *
 * The coach opens the printed authorization URL, signs in and approves; Khan sends the
 * browser to the callback with `oauth_token` and `oauth_verifier`. Either the coach pastes
 * the address the browser ended on (the old tool's flow, works over SSH), or, with
 * `listen`, a one-shot listener on 127.0.0.1 receives the callback itself. The access
 * token is stored sealed (coach-store); the token, its secret, the verifier and the
 * consumer secret are never printed nor put in an error message.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { Database } from '../db/connection.js';
import { listCoaches, revokeCoach, saveCoach, type KhanCoachListing } from '../ingest/khan/coach-store.js';
import type { KhanCallback, KhanTokenPair } from '../ingest/khan/oauth.js';
import { khanSetup, type KhanSettings } from '../ingest/khan/setup.js';

/** The callback of the pasted flow: nothing listens there, the coach copies the address from the browser. */
export const KHAN_PASTE_CALLBACK = 'http://localhost/khan-callback';

/** Path of the one-shot listener's callback. */
const LISTEN_PATH = '/khan-callback';

/** How long the listener waits for the browser by default: long enough to sign in, short enough not to linger. */
const LISTEN_TIMEOUT_MS = 10 * 60_000;

/** How the command talks with the operator: a terminal in the CLI, a script in tests. */
export interface KhanAuthorizeIo {
  prompt(question: string): Promise<string>;
  print(line: string): void;
}

/** What `authorizeKhanCoach` needs. */
export interface AuthorizeKhanCoachOptions {
  config: KhanSettings;
  database: Database;
  /** The email the coach signs in to Khan with (`--coach`); the approving account must have it. */
  coachEmail: string;
  io: KhanAuthorizeIo;
  /** Receive the callback on 127.0.0.1:`port` (0 = any free port) instead of asking for a paste. */
  listen?: { port: number; timeoutMs?: number };
}

/** Why an authorization was refused after the settings were found good. */
export type KhanAuthorizeErrorCode = 'khan_bad_email' | 'khan_wrong_coach' | 'khan_no_identity' | 'khan_callback_mismatch' | 'khan_callback_timeout' | 'khan_cannot_listen' | 'khan_no_paste';

/** The authorization did not go through; nothing was stored. */
export class KhanAuthorizeError extends Error {
  override readonly name = 'KhanAuthorizeError';
  constructor(readonly code: KhanAuthorizeErrorCode, message: string) {
    super(message);
  }
}

/** The part of Khan's `/api/v1/user` answer that identifies the coach. */
interface KhanUserIdentity {
  user_id?: unknown;
  email?: unknown;
  auth_emails?: unknown;
}

/**
 * Runs the three legs for one coach, checks that the approving account is `coachEmail`,
 * and stores its access token sealed with KHAN_TOKEN_KEY.
 * @example
 * const coach = await authorizeKhanCoach({ config, database, coachEmail: 'coach@school.example', io });
 */
export async function authorizeKhanCoach(options: AuthorizeKhanCoachOptions): Promise<{ coachId: string; email: string }> {
  const { database, io } = options;
  // Settings and the address are checked before any request: a typo costs no round trip.
  const { client, key } = khanSetup(options.config);
  const email = normalEmail(options.coachEmail);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new KhanAuthorizeError('khan_bad_email', 'the coach must be given as an email address (--coach)');

  const listener = options.listen ? await startCallbackListener(options.listen.port, options.listen.timeoutMs ?? LISTEN_TIMEOUT_MS) : undefined;
  let access: KhanTokenPair;
  try {
    const request = await client.requestToken(listener?.callbackUrl ?? KHAN_PASTE_CALLBACK);
    io.print(`Ask ${email} to open this address, sign in to Khan Academy and approve access:`);
    io.print(client.authorizeUrl(request));
    let callback: KhanCallback;
    if (listener) {
      io.print(`Waiting for the browser to come back to ${listener.callbackUrl} ...`);
      callback = client.parseCallback(await listener.received);
    } else {
      io.print('The browser then shows an error page on localhost: that is expected.');
      callback = client.parseCallback(await io.prompt('Paste the whole address the browser ended on: '));
    }
    // A paste from an earlier attempt carries another request token; its verifier would be refused anyway.
    if (callback.token !== request.token) {
      throw new KhanAuthorizeError('khan_callback_mismatch', 'the callback belongs to another authorization attempt; open the address printed above and paste where it ends');
    }
    access = await client.accessToken(request, callback.verifier);
  } finally {
    await listener?.close();
  }

  const me = await client.get<KhanUserIdentity>('/api/v1/user', {}, access);
  const coachId = typeof me.user_id === 'string' ? me.user_id : '';
  if (coachId === '') throw new KhanAuthorizeError('khan_no_identity', 'GET /api/v1/user: the answer has no user_id; the coach cannot be identified');
  // Someone else signed in (a shared computer, a second account): storing that token would pull the wrong roster.
  if (!emailsOf(me).includes(email)) {
    throw new KhanAuthorizeError('khan_wrong_coach', `the Khan account that approved (${coachId}) does not have the email ${email}; nothing was stored: sign in as ${email} and authorize again`);
  }
  await saveCoach(database, key, { coachId, email, token: access });
  io.print(`Authorized ${email} (Khan user ${coachId}).`);
  return { coachId, email };
}

/** Every coach ever authorized, by email, without tokens. */
export function listKhanCoaches(database: Database): Promise<KhanCoachListing[]> {
  return listCoaches(database);
}

/** Revokes a coach by Khan user id or email (any case); false when no active coach matched. */
export function revokeKhanCoach(database: Database, coach: string): Promise<boolean> {
  const text = coach.trim();
  // Emails are stored normalized (see authorizeKhanCoach); user ids are matched as given.
  return revokeCoach(database, text.includes('@') ? normalEmail(text) : text);
}

/** Khan's normalized form of an address: trimmed and lower-case, as in its `norm:` entries. */
function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The addresses of an account: `email` and the `norm:` entries of `auth_emails` (others are not addresses). */
function emailsOf(me: KhanUserIdentity): string[] {
  const out = typeof me.email === 'string' ? [normalEmail(me.email)] : [];
  if (Array.isArray(me.auth_emails)) {
    for (const entry of me.auth_emails) if (typeof entry === 'string' && entry.startsWith('norm:')) out.push(normalEmail(entry.slice('norm:'.length)));
  }
  return out;
}

/** A listener that takes one callback. */
interface CallbackListener {
  callbackUrl: string;
  /** The callback URL the browser was sent to. */
  received: Promise<string>;
  close(): Promise<void>;
}

const PAGE = (approved: boolean) => `<!doctype html><meta charset="utf-8"><title>Khan Academy authorization</title>
<p>${approved ? 'Access approved.' : 'Access was not approved.'} You may close this page and return to the terminal.</p>\n`;

/** Listens on 127.0.0.1 only (the callback carries the verifier) until one callback arrives or the time is up. */
async function startCallbackListener(port: number, timeoutMs: number): Promise<CallbackListener> {
  let settle: { resolve(url: string): void; reject(err: Error): void } | undefined;
  const received = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // The CLI awaits `received` only after printing; a timeout before that must not be an unhandled rejection.
  received.catch(() => undefined);
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const isCallback = url.pathname === LISTEN_PATH && (url.searchParams.has('oauth_verifier') || url.searchParams.has('oauth_problem') || url.searchParams.has('denied'));
    if (!isCallback || !settle) {
      // A favicon, a probe, or a second visit: the one-shot listener answers nothing useful.
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(PAGE(url.searchParams.has('oauth_verifier')));
    settle.resolve(url.href);
    settle = undefined;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new KhanAuthorizeError('khan_cannot_listen', `cannot listen on 127.0.0.1:${port} for the callback (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose another port`)));
    server.listen(port, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const timer = setTimeout(() => {
    settle?.reject(new KhanAuthorizeError('khan_callback_timeout', `no callback came back within ${Math.round(timeoutMs / 1000)} s; run the command again`));
    settle = undefined;
  }, timeoutMs);
  return {
    callbackUrl: `${base}${LISTEN_PATH}`,
    received,
    close: () => {
      clearTimeout(timer);
      settle?.reject(new KhanAuthorizeError('khan_callback_timeout', 'the listener was closed before a callback came back'));
      settle = undefined;
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The operator's terminal: instructions on stderr (stdout keeps the JSON result), the
 * pasted address read as one line of stdin. Stdin ending before a line is an error, not a hang.
 */
export function terminalKhanIo(terminal: { stdin: Readable & { isTTY?: boolean }; stderr: Writable }): KhanAuthorizeIo {
  return {
    print: (line) => void terminal.stderr.write(`${line}\n`),
    async prompt(question) {
      const rl = createInterface({ input: terminal.stdin, output: terminal.stderr, terminal: terminal.stdin.isTTY === true });
      try {
        const ended = new Promise<never>((_, reject) => rl.once('close', () => reject(new KhanAuthorizeError('khan_no_paste', 'standard input ended before the address was pasted'))));
        return await Promise.race([rl.question(question), ended]);
      } finally {
        rl.close();
      }
    },
  };
}
