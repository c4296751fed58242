/**
 * A fake Khan Academy API on port 0, the OAuth 1.0a provider side (RFC 5849): it parses
 * the `Authorization: OAuth ...` header, recomputes the HMAC-SHA1 signature over method,
 * full URL (query included) and form parameters with oauth-1.0a's `getSignature`, and
 * compares in constant time; it refuses (401) a wrong signature, a timestamp more than
 * five minutes off, a reused nonce, an unknown, unapproved or revoked token. It serves
 * the three legs and the v1 endpoints the old nightly pull read, with data shaped like
 * Khan's, and has switches for failures and counters per path and per student.
 */
import { randomBytes, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OAuth from 'oauth-1.0a';
import { readBody, send, sendText } from './http.js';

type Json = Record<string, unknown>;

/** A coach account and the user ids of the students it coaches. */
export interface FakeKhanCoach {
  user_id: string;
  email: string;
  nickname?: string;
  students: string[];
}

/** A student: `profile` is served as is by `/api/v1/user` (leave fields out to test gaps). */
export interface FakeKhanStudent {
  profile: Json;
  exercises?: Json[];
  progressChanges?: Json[];
  badges?: Json[];
}

/** What a fake serves. */
export interface FakeKhanOptions {
  consumerKey: string;
  consumerSecret: string;
  coaches: FakeKhanCoach[];
  students: Record<string, FakeKhanStudent>;
  /** `/api/v1/badges`: public badge metadata. */
  badges?: Json[];
  /** `/api/v1/exercises`: public exercise metadata. */
  exercises?: Json[];
}

/** A running fake. */
export interface FakeKhan {
  /** The server's origin (the client adds `/api/...`). */
  baseUrl: string;
  /** The coach who approves the next authorizations (default: the first coach). */
  approveAs(coachUserId: string): void;
  /** An access token for a coach without the browser legs (for connector tests). */
  grantAccess(coachUserId: string): { token: string; tokenSecret: string };
  /** Revokes one access token, or every access token of a coach. */
  revoke(tokenOrCoachId: string): void;
  /** Every request naming `userId` answers `status` (null stops it). */
  failStudent(userId: string, status: number | null): void;
  /** The next request to `path` answers 429 with `Retry-After: 1`. */
  rateLimitOnce(path: string): void;
  /** Requests received for a path, whatever they were answered. */
  count(path: string): number;
  /** Requests received naming a student (`?userId=`). */
  countStudent(userId: string): number;
  /** Why each refused OAuth request was refused, in order. */
  refusals: string[];
  close(): Promise<void>;
}

const SKEW_SECONDS = 300;

/** Starts a fake Khan Academy API on an ephemeral port. */
export async function startFakeKhan(options: FakeKhanOptions): Promise<FakeKhan> {
  const oauth = new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const requestTokens = new Map<string, { secret: string; callback: string; coachId?: string; verifier?: string }>();
  const accessTokens = new Map<string, { secret: string; coachId: string; revoked: boolean }>();
  const nonces = new Set<string>();
  const counts = new Map<string, number>();
  const studentCounts = new Map<string, number>();
  const failing = new Map<string, number>();
  const limited = new Set<string>();
  let approver = options.coaches[0]?.user_id;
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const secret = () => randomBytes(12).toString('hex');
  const coachById = (id: string | undefined) => options.coaches.find((c) => c.user_id === id);

  const fake: FakeKhan = {
    baseUrl: '',
    approveAs: (id) => void (approver = id),
    grantAccess: (coachUserId) => {
      const token = secret();
      accessTokens.set(token, { secret: secret(), coachId: coachUserId, revoked: false });
      return { token, tokenSecret: accessTokens.get(token)!.secret };
    },
    revoke: (tokenOrCoach) => {
      for (const [token, t] of accessTokens) if (token === tokenOrCoach || t.coachId === tokenOrCoach) t.revoked = true;
    },
    failStudent: (id, status) => void (status === null ? failing.delete(id) : failing.set(id, status)),
    rateLimitOnce: (path) => void limited.add(path),
    count: (path) => counts.get(path) ?? 0,
    countStudent: (id) => studentCounts.get(id) ?? 0,
    refusals: [],
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };

  const refuse = (res: ServerResponse, reason: string) => {
    fake.refusals.push(reason);
    res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'OAuth realm="khan"' });
    res.end(`OAuth error: ${reason}`);
  };

  /** Checks the request's OAuth signature; answers the token it names, or refuses and answers null. */
  const verify = (req: IncomingMessage, res: ServerResponse, fullUrl: string, form: Record<string, string>, kind: 'none' | 'request' | 'access') => {
    const p = parseOAuthHeader(req.headers.authorization);
    if (!p) return refuse(res, 'missing or malformed OAuth header'), null;
    const { oauth_signature: signature, realm: _realm, ...signed } = p;
    if (p.oauth_consumer_key !== options.consumerKey) return refuse(res, 'unknown consumer'), null;
    if (p.oauth_signature_method !== 'HMAC-SHA1') return refuse(res, 'signature method must be HMAC-SHA1'), null;
    if (p.oauth_version !== undefined && p.oauth_version !== '1.0') return refuse(res, 'bad version'), null;
    if (!signature || !p.oauth_nonce || !/^\d+$/.test(p.oauth_timestamp ?? '')) return refuse(res, 'missing signature, nonce or timestamp'), null;
    if (Math.abs(Date.now() / 1000 - Number(p.oauth_timestamp)) > SKEW_SECONDS) return refuse(res, 'timestamp out of range'), null;
    const token = p.oauth_token;
    const request = kind === 'request' && token ? requestTokens.get(token) : undefined;
    const access = kind === 'access' && token ? accessTokens.get(token) : undefined;
    if (kind === 'request' && !request) return refuse(res, 'unknown request token'), null;
    if (kind === 'access' && !access) return refuse(res, 'unknown access token'), null;
    if (access?.revoked) return refuse(res, 'token revoked'), null;
    // getSignature merges the URL query and form into the object it is given: pass a copy.
    const expected = oauth.getSignature({ url: fullUrl, method: req.method ?? 'GET', data: { ...form } }, request?.secret ?? access?.secret, { ...signed } as unknown as OAuth.Data);
    const a = Buffer.from(expected);
    const b = Buffer.from(signature);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return refuse(res, 'invalid signature'), null;
    // RFC 5849 §3.3: a nonce is unique per consumer, token and timestamp; checked after the signature so forgeries burn none.
    const nonceKey = `${p.oauth_consumer_key}|${token ?? ''}|${p.oauth_timestamp}|${p.oauth_nonce}`;
    if (nonces.has(nonceKey)) return refuse(res, 'nonce already used'), null;
    nonces.add(nonceKey);
    return { params: p, request, access };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = `http://${req.headers.host}`;
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname.replace(/\/+$/, '');
    const userId = url.searchParams.get('userId') ?? undefined;
    bump(counts, path);
    if (userId) bump(studentCounts, userId);
    const form = req.method === 'POST' ? await readForm(req) : {};
    const fullUrl = `${origin}${req.url}`;

    if (path === '/api/auth/authorize') return authorize(res, url);
    if (path === '/api/auth/request_token') {
      const ok = verify(req, res, fullUrl, form, 'none');
      if (!ok) return;
      const callback = ok.params.oauth_callback ?? url.searchParams.get('oauth_callback') ?? form.oauth_callback;
      if (!callback) return sendText(res, 400, 'OAuth error: oauth_callback is required');
      const token = secret();
      requestTokens.set(token, { secret: secret(), callback });
      return sendForm(res, { oauth_token: token, oauth_token_secret: requestTokens.get(token)!.secret, oauth_callback_confirmed: 'true' });
    }
    if (path === '/api/auth/access_token') {
      const ok = verify(req, res, fullUrl, form, 'request');
      if (!ok) return;
      const verifier = ok.params.oauth_verifier ?? form.oauth_verifier;
      if (!ok.request?.coachId || !verifier || verifier !== ok.request.verifier) return refuse(res, 'request token not approved or wrong verifier');
      requestTokens.delete(ok.params.oauth_token!);
      return sendForm(res, grantForm(ok.request.coachId));
    }
    const isPublic = path === '/api/v1/badges' || path === '/api/v1/exercises';
    const ok = isPublic && !req.headers.authorization ? { access: undefined } : verify(req, res, fullUrl, form, 'access');
    if (!ok) return;
    if (limited.delete(path)) {
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' });
      return void res.end('Too many requests');
    }
    if (userId && failing.has(userId)) return sendText(res, failing.get(userId)!, 'Internal error');
    if (path === '/api/v1/badges') return send(res, 200, (options.badges ?? []).map(badgeView));
    if (path === '/api/v1/exercises') return send(res, 200, options.exercises ?? []);
    const coach = coachById(ok.access?.coachId);
    if (!coach) return send(res, 404, { error: 'not found' });
    // A coach may read its own data and its students' only; Khan answered 403 otherwise.
    const subject = userId === undefined || userId === coach.user_id ? undefined : userId;
    if (subject !== undefined && !coach.students.includes(subject)) return send(res, 403, { error: 'You are not authorized to view this user' });
    const student = subject === undefined ? undefined : options.students[subject];
    if (subject !== undefined && !student) return send(res, 403, { error: 'You are not authorized to view this user' });
    switch (path) {
      case '/api/v1/user': return send(res, 200, student ? studentView(subject!, student) : coachView(coach));
      case '/api/v1/user/students':
        return send(res, 200, coach.students.filter((id) => options.students[id]).map((id) => studentView(id, options.students[id]!)));
      case '/api/v1/user/exercises': return send(res, 200, student?.exercises ?? []);
      case '/api/v1/user/exercises/progress_changes': return send(res, 200, student?.progressChanges ?? []);
      case '/api/v1/user/badges': return send(res, 200, badgesView(student?.badges ?? []));
      default: return send(res, 404, { error: 'not found' });
    }
  };

  const authorize = (res: ServerResponse, url: URL) => {
    const token = url.searchParams.get('oauth_token') ?? '';
    const request = requestTokens.get(token);
    if (!request || !coachById(approver)) return sendText(res, 400, 'Unknown or expired request token');
    // The fake "signs the coach in" at once: the test switch `approveAs` picks who approves.
    request.coachId = approver;
    request.verifier = secret();
    if (request.callback === 'oob') return sendText(res, 200, `Your verifier: ${request.verifier}`);
    const back = new URL(request.callback);
    back.searchParams.set('oauth_token', token);
    back.searchParams.set('oauth_verifier', request.verifier);
    res.writeHead(302, { location: back.href });
    res.end();
  };

  const grantForm = (coachId: string) => {
    const pair = fake.grantAccess(coachId);
    return { oauth_token: pair.token, oauth_token_secret: pair.tokenSecret };
  };

  const coachesOf = (id: string) => options.coaches.filter((c) => c.students.includes(id)).map((c) => c.email);
  // Khan listed coaches by email, and rooted the profile page at the username, else the kaid.
  const studentView = (id: string, s: FakeKhanStudent) => ({
    ...('coaches' in s.profile ? {} : { coaches: coachesOf(id) }),
    profile_root: `/profile/${typeof s.profile.username === 'string' && s.profile.username !== '' ? s.profile.username : id}/`,
    ...s.profile,
    user_id: id,
  });
  const coachView = (c: FakeKhanCoach) => ({
    kind: 'UserData', user_id: c.user_id, email: c.email, nickname: c.nickname ?? c.email.split('@')[0], username: '',
    auth_emails: [`norm:${c.email.toLowerCase()}`], is_coach: true, coaches: [], points: 0,
  });
  const badgesView = (owned: Json[]) => {
    const meta = options.badges ?? [];
    const categories = [...new Set(meta.map((b) => Number(b.badge_category)))].sort();
    const counts: Record<string, number> = Object.fromEntries([0, 1, 2, 3, 4, 5].map((c) => [String(c), 0]));
    for (const u of owned) {
      const category = meta.find((b) => b.name === u.badge_name)?.badge_category;
      if (category !== undefined) counts[String(category)] = (counts[String(category)] ?? 0) + 1;
    }
    return {
      // Khan nested each badge's awards under it, and grouped badges by category.
      badge_collections: categories.map((category) => ({
        category,
        badges: meta.filter((b) => Number(b.badge_category) === category).map((b) => {
          const awards = owned.filter((u) => u.badge_name === b.name);
          return { ...badgeView(b), is_owned: awards.length > 0, user_badges: awards };
        }),
        user_badges: owned.filter((u) => meta.some((b) => b.name === u.badge_name && Number(b.badge_category) === category)),
      })),
      user_badges: owned,
      badge_counts: counts,
    };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendText(res, 400, 'Bad request'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/**
 * A badge as Khan's API gave it: the fields a fixture leaves out that Khan derived (URLs
 * from the slug, the compact icon, texts not translated, not retired) are filled in.
 */
function badgeView(b: Json): Json {
  const slug = typeof b.slug === 'string' ? b.slug : String(b.name);
  const icons = typeof b.icons === 'object' && b.icons !== null ? (b.icons as Json) : {};
  return {
    relative_url: `/badges/${slug}`,
    absolute_url: `https://www.khanacademy.org/badges/${slug}`,
    icon_src: icons.compact ?? null,
    translated_description: b.description,
    safe_extended_description: b.description,
    translated_safe_extended_description: b.safe_extended_description ?? b.description,
    is_retired: false,
    hide_context: false,
    is_owned: false,
    ...b,
  };
}

/** Parses `OAuth k="v", ...` (RFC 5849 §3.5.1); null when absent, malformed or a parameter repeats. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | null {
  const match = /^OAuth\s+(.*)$/is.exec(header?.trim() ?? '');
  if (!match) return null;
  const out: Record<string, string> = {};
  for (const part of match[1]!.split(',')) {
    const kv = /^\s*([A-Za-z0-9_.~%-]+)="([^"]*)"\s*$/.exec(part);
    if (!kv) return null;
    const key = decodeURIComponent(kv[1]!);
    if (key in out) return null;
    try {
      out[key] = decodeURIComponent(kv[2]!);
    } catch {
      return null;
    }
  }
  return out;
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const body = await readBody(req);
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return {};
  return Object.fromEntries(new URLSearchParams(body));
}

function sendForm(res: ServerResponse, form: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
  res.end(new URLSearchParams(form).toString());
}
