import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KhanAuthError, KhanCallbackError, KhanOAuthClient, KhanRateLimitError, KhanResponseError, KhanServerError,
  type KhanTokenPair,
} from '../../../src/ingest/khan/oauth.js';
import { startFakeKhan, type FakeKhan, type FakeKhanOptions } from '../../fakes/khan.js';
import { testClock } from '../../support/clock.js';

const CONSUMER = { key: 'consumer-key-1', secret: 'consumer-secret-s3cr3t' };
const CALLBACK = 'http://localhost:8080/khan/callback?state=abc';

const FIXTURE: FakeKhanOptions = {
  consumerKey: CONSUMER.key,
  consumerSecret: CONSUMER.secret,
  coaches: [
    { user_id: 'kaid_coach1', email: 'Coach.One@school.example', students: ['kaid_s1', 'kaid_s2', 'kaid_s3'] },
    { user_id: 'kaid_coach2', email: 'coach2@school.example', students: ['kaid_s2'] },
  ],
  students: {
    kaid_s1: {
      profile: {
        kind: 'UserData', nickname: 'Ada', username: 'ada_l', email: 'ada@example.org', auth_emails: ['norm:ada@example.org'],
        points: 12_500, total_seconds_watched: 3600, first_visit: '2019-01-05T10:00:00Z', joined: '2019-01-05T10:00:00Z',
        badge_counts: { 0: 3, 1: 1, 2: 0, 3: 0, 4: 0, 5: 1 }, proficient_exercises: ['addition_1'],
      },
      exercises: [{
        kind: 'UserExercise', exercise: 'addition_1', streak: 4, longest_streak: 9, total_done: 20, total_correct: 18,
        last_done: '2019-03-01T09:00:00Z', practiced_date: '2019-02-01T09:00:00Z', proficient_date: '2019-02-20T09:00:00Z',
        maximum_exercise_progress_dt: '2019-02-20T09:00:00Z',
        exercise_model: { name: 'addition_1', display_name: 'Addition 1' },
        exercise_progress: { level: 'mastery2', mastered: true, practiced: true, proficient: true, struggling: false },
      }],
      progressChanges: [{ exercise_name: 'addition_1', date: '2019-02-20T09:00:00Z', from_progress: { level: 'practiced' }, to_progress: { level: 'mastery1' } }],
      badges: [{ badge_name: 'greatlistener', date: '2019-02-02T10:00:00Z', target_context_name: 'Addition 1', points_earned: 500 }],
    },
    // Fields missing on purpose: the connector must reject or default them, not crash.
    kaid_s2: { profile: { nickname: 'Bo' } },
    kaid_s3: { profile: { nickname: 'Cy', points: 0 } },
  },
  badges: [
    { name: 'greatlistener', slug: 'great-listener', description: 'Great Listener', badge_category: 1, points: 500, icons: { small: '/s.png', large: '/l.png' } },
    { name: 'sunbadge', slug: 'sun', description: 'Sun', badge_category: 4, points: 0, icons: {} },
  ],
  exercises: [{ name: 'addition_1', display_name: 'Addition 1', ka_url: 'https://www.khanacademy.org/e/addition_1' }],
};

const hmac = (base: string, key: string) => createHmac('sha1', key).update(base).digest('base64');

let fake: FakeKhan;
let client: KhanOAuthClient;
// Retries wait on this clock, which records each wait and goes on at once.
const clock = testClock();

beforeAll(async () => {
  fake = await startFakeKhan(FIXTURE);
  client = new KhanOAuthClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, timeoutMs: 5000, clock });
});
afterAll(() => fake.close());

/** Runs the three legs the way the set-up command does, with the fake's redirect standing in for the browser. */
async function threeLegs(c = client): Promise<{ access: KhanTokenPair; request: KhanTokenPair; verifier: string }> {
  const request = await c.requestToken(CALLBACK);
  const res = await fetch(c.authorizeUrl(request), { redirect: 'manual' });
  expect(res.status).toBe(302);
  const { token, verifier } = c.parseCallback(res.headers.get('location') ?? '');
  expect(token).toBe(request.token);
  return { access: await c.accessToken(request, verifier), request, verifier };
}

/** A GET signed by hand, so that a test can choose the timestamp and nonce the client would not. */
function signedHeader(url: string, token: KhanTokenPair, over: { timestamp?: number; nonce?: string; method?: string } = {}): string {
  const oauth = new OAuth({ consumer: CONSUMER, signature_method: over.method ?? 'HMAC-SHA1', hash_function: hmac });
  const params = {
    oauth_consumer_key: CONSUMER.key, oauth_nonce: over.nonce ?? oauth.getNonce(), oauth_signature_method: over.method ?? 'HMAC-SHA1',
    oauth_timestamp: over.timestamp ?? oauth.getTimeStamp(), oauth_version: '1.0', oauth_token: token.token,
  };
  return oauth.toHeader({ ...params, oauth_signature: oauth.getSignature({ url, method: 'GET', data: {} }, token.tokenSecret, { ...params }) }).Authorization;
}

describe('the three-legged flow', () => {
  it('ends with an access token that identifies the coach through /api/v1/user', async () => {
    const { access } = await threeLegs();
    const me = await client.get<{ user_id: string; auth_emails: string[] }>('/api/v1/user', {}, access);
    expect(me.user_id).toBe('kaid_coach1');
    expect(me.auth_emails).toEqual(['norm:coach.one@school.example']);
  });

  it('identifies whichever coach approved', async () => {
    fake.approveAs('kaid_coach2');
    try {
      const { access } = await threeLegs();
      expect((await client.get<{ user_id: string }>('/api/v1/user', {}, access)).user_id).toBe('kaid_coach2');
    } finally {
      fake.approveAs('kaid_coach1');
    }
  });

  it('refuses a wrong verifier and a request token used twice', async () => {
    const request = await client.requestToken(CALLBACK);
    await fetch(client.authorizeUrl(request), { redirect: 'manual' });
    await expect(client.accessToken(request, 'not-the-verifier')).rejects.toBeInstanceOf(KhanAuthError);
    const { request: used, verifier } = await threeLegs();
    await expect(client.accessToken(used, verifier)).rejects.toMatchObject({ code: 'khan_unauthorized', status: 401 });
    expect(fake.refusals.at(-1)).toBe('unknown request token');
  });

  it('refuses an access token request before the coach approved', async () => {
    const request = await client.requestToken(CALLBACK);
    await expect(client.accessToken(request, 'anything')).rejects.toBeInstanceOf(KhanAuthError);
    expect(fake.refusals.at(-1)).toBe('request token not approved or wrong verifier');
  });
});

describe('parseCallback', () => {
  it('reads the token and verifier from a pasted URL or a bare query', () => {
    expect(client.parseCallback(' http://localhost/cb?state=1&oauth_token=t%2B1&oauth_verifier=v1 ')).toEqual({ token: 't+1', verifier: 'v1' });
    expect(client.parseCallback('?oauth_token=t&oauth_verifier=v')).toEqual({ token: 't', verifier: 'v' });
  });

  it('names what is missing without echoing what was pasted', () => {
    const err = (() => {
      try {
        client.parseCallback('http://localhost/cb?oauth_token=tok-SECRET');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(KhanCallbackError);
    expect(err?.message).toMatch(/lacks oauth_verifier/);
    expect(err?.message).not.toContain('tok-SECRET');
    expect(() => client.parseCallback('http://[bad')).toThrow(/not a valid URL/);
    expect(() => client.parseCallback('http://localhost/cb?oauth_problem=user_refused')).toThrow(/did not approve/);
  });
});

describe('signed GETs', () => {
  let access: KhanTokenPair;
  beforeAll(async () => {
    access = fake.grantAccess('kaid_coach1');
  });

  it('read the roster and each per-student endpoint with data shaped like Khan', async () => {
    const roster = await client.get<{ user_id: string; coaches: string[] }[]>('/api/v1/user/students', {}, access);
    expect(roster.map((s) => s.user_id)).toEqual(['kaid_s1', 'kaid_s2', 'kaid_s3']);
    expect(roster[1]?.coaches).toEqual(['Coach.One@school.example', 'coach2@school.example']);
    const user = await client.get<Record<string, unknown>>('/api/v1/user', { userId: 'kaid_s1' }, access);
    expect(user).toMatchObject({ user_id: 'kaid_s1', points: 12_500, badge_counts: { 5: 1 } });
    expect(await client.get<Record<string, unknown>>('/api/v1/user', { userId: 'kaid_s2' }, access)).not.toHaveProperty('points');
    const exercises = await client.get<{ exercise_progress: { level: string } }[]>('/api/v1/user/exercises', { userId: 'kaid_s1' }, access);
    expect(exercises[0]?.exercise_progress.level).toBe('mastery2');
    const changes = await client.get<unknown[]>('/api/v1/user/exercises/progress_changes', { userId: 'kaid_s1' }, access);
    expect(changes).toHaveLength(1);
    const badges = await client.get<{ badge_collections: { badges: { name: string; user_badges: unknown[] }[] }[]; badge_counts: Record<string, number> }>(
      '/api/v1/user/badges', { userId: 'kaid_s1' }, access);
    expect(badges.badge_collections.flatMap((c) => c.badges).find((b) => b.name === 'greatlistener')?.user_badges).toHaveLength(1);
    expect(badges.badge_counts['1']).toBe(1);
    expect(await client.get<unknown[]>('/api/v1/badges', {}, access)).toHaveLength(2);
    expect(await client.get<unknown[]>('/api/v1/exercises', {}, access)).toHaveLength(1);
    expect(fake.countStudent('kaid_s1')).toBeGreaterThanOrEqual(4);
  });

  it('sign the query too, whatever characters it holds', async () => {
    await expect(client.get('/api/v1/user/exercises', { userId: 'kaid_s1', dt_start: '2019-01-01T00:00:00+01:00', x: "a b!*'()" }, access)).resolves.toBeDefined();
  });

  it('answer 403 for a student the coach does not coach', async () => {
    const other = fake.grantAccess('kaid_coach2');
    await expect(client.get('/api/v1/user', { userId: 'kaid_s1' }, other)).rejects.toMatchObject({ name: 'KhanAuthError', status: 403 });
  });
});

describe('the fake provider refuses', () => {
  let access: KhanTokenPair;
  beforeAll(() => {
    access = fake.grantAccess('kaid_coach1');
  });

  it('a wrong signature (wrong consumer secret, or a query changed after signing)', async () => {
    const wrong = new KhanOAuthClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: 'not-it' });
    await expect(wrong.get('/api/v1/user', {}, access)).rejects.toMatchObject({ code: 'khan_unauthorized', status: 401 });
    expect(fake.refusals.at(-1)).toBe('invalid signature');
    const signedFor = `${fake.baseUrl}/api/v1/user?userId=kaid_s1`;
    const res = await fetch(`${fake.baseUrl}/api/v1/user?userId=kaid_s3`, { headers: { authorization: signedHeader(signedFor, access) } });
    expect(res.status).toBe(401);
    expect(fake.refusals.at(-1)).toBe('invalid signature');
  });

  it('a timestamp more than five minutes off', async () => {
    const url = `${fake.baseUrl}/api/v1/user`;
    const res = await fetch(url, { headers: { authorization: signedHeader(url, access, { timestamp: Math.floor(Date.now() / 1000) - 400 }) } });
    expect(res.status).toBe(401);
    expect(fake.refusals.at(-1)).toBe('timestamp out of range');
  });

  it('a replayed nonce', async () => {
    const url = `${fake.baseUrl}/api/v1/user`;
    const header = signedHeader(url, access, { nonce: 'fixed-nonce-1' });
    expect((await fetch(url, { headers: { authorization: header } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: header } })).status).toBe(401);
    expect(fake.refusals.at(-1)).toBe('nonce already used');
  });

  it('the PLAINTEXT method and a missing header', async () => {
    const url = `${fake.baseUrl}/api/v1/user`;
    expect((await fetch(url, { headers: { authorization: signedHeader(url, access, { method: 'PLAINTEXT' }) } })).status).toBe(401);
    expect(fake.refusals.at(-1)).toBe('signature method must be HMAC-SHA1');
    expect((await fetch(url)).status).toBe(401);
  });

  it('a revoked token, and the client does not retry the 401', async () => {
    const { access: mine } = await threeLegs();
    await client.get('/api/v1/user', {}, mine);
    fake.revoke(mine.token);
    const before = fake.count('/api/v1/user');
    await expect(client.get('/api/v1/user', {}, mine, { retry: { attempts: 4, baseMs: 1 } })).rejects.toBeInstanceOf(KhanAuthError);
    expect(fake.count('/api/v1/user')).toBe(before + 1);
    expect(fake.refusals.at(-1)).toBe('token revoked');
    await expect(client.get('/api/v1/user', {}, access)).resolves.toBeDefined();
  });
});

describe('retrying a GET', () => {
  const access = () => fake.grantAccess('kaid_coach1');

  it('retries a 429 after its Retry-After', async () => {
    const token = access();
    fake.rateLimitOnce('/api/v1/user/students');
    const before = fake.count('/api/v1/user/students');
    await expect(client.get('/api/v1/user/students', {}, token)).rejects.toMatchObject({ name: 'KhanRateLimitError', retryAfterMs: 1000 });
    fake.rateLimitOnce('/api/v1/user/students');
    clock.waits.length = 0;
    const roster = await client.get<unknown[]>('/api/v1/user/students', {}, token, { retry: { attempts: 3, baseMs: 5 } });
    expect(roster).toHaveLength(3);
    expect(clock.waits).toEqual([1000]);
    expect(fake.count('/api/v1/user/students')).toBe(before + 3);
  });

  it('retries a 500 a bounded number of times, then throws KhanServerError', async () => {
    fake.failStudent('kaid_s3', 500);
    const before = fake.countStudent('kaid_s3');
    try {
      const err = await client.get('/api/v1/user/exercises', { userId: 'kaid_s3' }, access(), { retry: { attempts: 3, baseMs: 5 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KhanServerError);
      expect(err).toMatchObject({ code: 'khan_unavailable', status: 500 });
      expect(fake.countStudent('kaid_s3')).toBe(before + 3);
    } finally {
      fake.failStudent('kaid_s3', null);
    }
  });

  it('retries a server that cannot be reached', async () => {
    const gone = new KhanOAuthClient({ baseUrl: 'http://127.0.0.1:1', consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, timeoutMs: 1000, clock });
    let calls = 0;
    const err = await gone.get('/api/v1/user', {}, access(), { retry: { attempts: 2, baseMs: 1 }, onAttempt: () => calls++ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KhanServerError);
    expect(calls).toBe(2);
  });
});

describe('error messages', () => {
  it('carry no consumer secret, token, token secret, verifier or student id', async () => {
    const { access, request, verifier } = await threeLegs();
    const errors: unknown[] = [];
    const keep = (p: Promise<unknown>) => p.then(() => expect.fail('should have failed'), (e: unknown) => void errors.push(e));
    await keep(new KhanOAuthClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: 'x' }).get('/api/v1/user', { userId: 'kaid_s1' }, access));
    await keep(client.accessToken(request, verifier));
    fake.rateLimitOnce('/api/v1/user');
    await keep(client.get('/api/v1/user', { userId: 'kaid_s1' }, access));
    fake.failStudent('kaid_s1', 503);
    await keep(client.get('/api/v1/user', { userId: 'kaid_s1' }, access));
    fake.failStudent('kaid_s1', null);
    await keep(client.get('/api/v1/nothing', { userId: 'kaid_s1' }, access));
    expect(errors.map((e) => (e as Error).name)).toEqual(['KhanAuthError', 'KhanAuthError', 'KhanRateLimitError', 'KhanServerError', 'KhanResponseError']);
    expect(errors[4]).toBeInstanceOf(KhanResponseError);
    expect(errors[2]).toBeInstanceOf(KhanRateLimitError);
    const secrets = [CONSUMER.secret, access.token, access.tokenSecret, request.token, request.tokenSecret, verifier, 'kaid_s1'];
    for (const e of errors) {
      const text = `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack ?? ''}`;
      for (const s of secrets) expect(text).not.toContain(s);
    }
  });
});
