import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizeKhanCoach, KhanAuthorizeError, listKhanCoaches, revokeKhanCoach, type KhanAuthorizeIo,
} from '../../src/cli/khan-authorize.js';
import { CodedError } from '../../src/errors.js';
import type { KhanSettings } from '../../src/ingest/khan/setup.js';
import { khanCoaches } from '../../src/ingest/khan/schema.js';
import { authorizedCoaches } from '../../src/ingest/khan/coach-store.js';
import { KhanOAuthClient, type KhanTokenPair } from '../../src/ingest/khan/oauth.js';
import { parseVaultKey } from '../../src/ingest/khan/token-vault.js';
import { startFakeKhan, type FakeKhan } from '../fakes/khan.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';

const CONSUMER = { key: 'consumer-key-1', secret: 'consumer-secret-s3cr3t' };
const TOKEN_KEY = randomBytes(32).toString('hex');

let fake: FakeKhan;
let config: KhanSettings;
let client: KhanOAuthClient;

beforeAll(async () => {
  fake = await startFakeKhan({
    consumerKey: CONSUMER.key,
    consumerSecret: CONSUMER.secret,
    coaches: [
      { user_id: 'kaid_coach1', email: 'Coach.One@school.example', students: ['kaid_s1'] },
      { user_id: 'kaid_coach2', email: 'coach2@school.example', students: [] },
    ],
    students: { kaid_s1: { profile: { nickname: 'Ada', points: 10 } } },
  });
  config = { khanUrl: fake.baseUrl, khanConsumerKey: CONSUMER.key, khanConsumerSecret: CONSUMER.secret, khanTokenKey: TOKEN_KEY };
  client = new KhanOAuthClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
});
afterAll(() => fake.close());

/** An operator who opens the printed URL (the fake approves at once) and pastes where the browser was sent. */
function pastingOperator() {
  const printed: string[] = [];
  const pasted: string[] = [];
  const io: KhanAuthorizeIo = {
    print: (line) => void printed.push(line),
    async prompt(question) {
      printed.push(question);
      const url = printed.find((line) => line.startsWith(`${fake.baseUrl}/api/auth/authorize?`));
      const res = await fetch(url!, { redirect: 'manual' });
      expect(res.status).toBe(302);
      pasted.push(res.headers.get('location')!);
      return pasted.at(-1)!;
    },
  };
  return { io, printed, pasted };
}

/** What must never be printed or thrown: the consumer secret, the access token pair and the verifier. */
function secretsOf(token: KhanTokenPair | undefined, callbackUrl: string | undefined): string[] {
  const verifier = callbackUrl ? new URL(callbackUrl).searchParams.get('oauth_verifier') : null;
  return [CONSUMER.secret, TOKEN_KEY, token?.token, token?.tokenSecret, verifier].filter((s): s is string => typeof s === 'string' && s !== '');
}

describe.each(DATABASE_KINDS)('khan authorize on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    fake.approveAs('kaid_coach1');
  });
  afterEach(async () => {
    await t.drop();
  });

  it('stores the approving coach with a sealed token that opens and signs GETs', async () => {
    const { io, printed, pasted } = pastingOperator();
    const coach = await authorizeKhanCoach({ config, database: t.database, coachEmail: ' coach.ONE@school.example ', io });
    expect(coach).toEqual({ coachId: 'kaid_coach1', email: 'coach.one@school.example' });
    expect(pasted[0]).toMatch(/^http:\/\/localhost\/khan-callback\?/);

    const [stored] = await authorizedCoaches(t.database, parseVaultKey(TOKEN_KEY));
    if (!stored || !('token' in stored)) throw new Error('the coach was not stored with a readable token');
    expect(stored).toMatchObject({ coachId: 'kaid_coach1', email: 'coach.one@school.example' });
    const roster = await client.get<{ user_id: string }[]>('/api/v1/user/students', {}, stored.token);
    expect(roster.map((s) => s.user_id)).toEqual(['kaid_s1']);

    const secrets = secretsOf(stored.token, pasted[0]);
    expect(secrets).toHaveLength(5);
    const rows = await t.database.db.select().from(khanCoaches);
    expect(rows).toHaveLength(1);
    for (const column of Object.values(rows[0]!)) for (const s of secrets) expect(String(column)).not.toContain(s);
    for (const s of secrets) expect(printed.join('\n')).not.toContain(s);
    expect(JSON.stringify(await listKhanCoaches(t.database))).not.toContain('sealed');
  });

  it('leaves the token unreadable under another KHAN_TOKEN_KEY', async () => {
    await authorizeKhanCoach({ config, database: t.database, coachEmail: 'coach.one@school.example', io: pastingOperator().io });
    const [other] = await authorizedCoaches(t.database, parseVaultKey(randomBytes(32).toString('base64')));
    expect(other).toMatchObject({ coachId: 'kaid_coach1', unreadable: expect.stringMatching(/KHAN_TOKEN_KEY/) });
    expect(other).not.toHaveProperty('token');
  });

  it('receives the callback on a local listener when asked to listen', async () => {
    const printed: string[] = [];
    let browser: Promise<Response> | undefined;
    const io: KhanAuthorizeIo = {
      print(line) {
        printed.push(line);
        // The "browser" follows Khan's redirect to the listener, as a real one would.
        if (line.startsWith(`${fake.baseUrl}/api/auth/authorize?`)) browser = fetch(line);
      },
      prompt: () => Promise.reject(new Error('the listen flow must not ask for a paste')),
    };
    const coach = await authorizeKhanCoach({ config, database: t.database, coachEmail: 'coach.one@school.example', io, listen: { port: 0 } });
    expect(coach.coachId).toBe('kaid_coach1');
    const page = await browser!;
    expect(page.status).toBe(200);
    expect(page.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/khan-callback\?/);
    expect(await page.text()).toMatch(/You may close this page/);
    const [stored] = await authorizedCoaches(t.database, parseVaultKey(TOKEN_KEY));
    if (!stored || !('token' in stored)) throw new Error('the coach was not stored with a readable token');
    for (const s of secretsOf(stored.token, page.url)) expect(printed.join('\n')).not.toContain(s);
    // The listener is one-shot: it is closed once the callback came.
    await expect(fetch(page.url)).rejects.toThrow();
  });

  it('gives up listening after the timeout and stores nothing', async () => {
    const io: KhanAuthorizeIo = { print: () => undefined, prompt: () => Promise.reject(new Error('no paste in listen mode')) };
    const err = await authorizeKhanCoach({ config, database: t.database, coachEmail: 'coach.one@school.example', io, listen: { port: 0, timeoutMs: 50 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KhanAuthorizeError);
    expect(err).toMatchObject({ code: 'khan_callback_timeout' });
    expect(await listKhanCoaches(t.database)).toEqual([]);
  });

  it('refuses when another account approved, storing nothing and leaking nothing', async () => {
    fake.approveAs('kaid_coach2');
    const { io, printed, pasted } = pastingOperator();
    const err = await authorizeKhanCoach({ config, database: t.database, coachEmail: 'coach.one@school.example', io }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KhanAuthorizeError);
    expect(err).toMatchObject({ code: 'khan_wrong_coach', message: expect.stringMatching(/kaid_coach2.*coach\.one@school\.example.*nothing was stored/) });
    expect(await listKhanCoaches(t.database)).toEqual([]);
    const text = `${printed.join('\n')} ${String(err)} ${(err as Error).stack ?? ''}`;
    for (const s of secretsOf(undefined, pasted[0])) expect(text).not.toContain(s);
  });

  it('refuses a callback pasted from another attempt', async () => {
    const { io } = pastingOperator();
    const stale = await client.requestToken('http://localhost/khan-callback');
    const location = (await fetch(client.authorizeUrl(stale), { redirect: 'manual' })).headers.get('location')!;
    const err = await authorizeKhanCoach({ config, database: t.database, coachEmail: 'coach.one@school.example', io: { ...io, prompt: async () => location } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'KhanAuthorizeError', code: 'khan_callback_mismatch' });
    expect(await listKhanCoaches(t.database)).toEqual([]);
  });

  it('revokes by email in any case or by user id, and authorizedCoaches then omits the coach', async () => {
    await authorizeKhanCoach({ config, database: t.database, coachEmail: 'coach.one@school.example', io: pastingOperator().io });
    fake.approveAs('kaid_coach2');
    await authorizeKhanCoach({ config, database: t.database, coachEmail: 'coach2@school.example', io: pastingOperator().io });
    const key = parseVaultKey(TOKEN_KEY);
    expect((await authorizedCoaches(t.database, key)).map((c) => c.coachId)).toEqual(['kaid_coach1', 'kaid_coach2']);

    expect(await revokeKhanCoach(t.database, 'Coach.One@School.example')).toBe(true);
    expect(await revokeKhanCoach(t.database, 'coach.one@school.example')).toBe(false);
    expect((await authorizedCoaches(t.database, key)).map((c) => c.coachId)).toEqual(['kaid_coach2']);
    expect(await revokeKhanCoach(t.database, 'kaid_coach2')).toBe(true);
    expect(await authorizedCoaches(t.database, key)).toEqual([]);
    const listed = await listKhanCoaches(t.database);
    expect(listed.map((c) => [c.coachId, c.revokedAt instanceof Date]).sort()).toEqual([['kaid_coach1', true], ['kaid_coach2', true]]);
  });
});

describe('khan authorize settings', () => {
  const io: KhanAuthorizeIo = { print: () => undefined, prompt: () => Promise.reject(new Error('must not prompt')) };
  const database = undefined as never;

  it.each([
    ['KHAN_CONSUMER_KEY', { khanConsumerKey: undefined }],
    ['KHAN_CONSUMER_SECRET', { khanConsumerSecret: '' }],
    ['KHAN_TOKEN_KEY', { khanTokenKey: undefined }],
  ] as const)('names %s when it is not set, before any request', async (variable, over) => {
    const before = fake.count('/api/auth/request_token');
    const err = await authorizeKhanCoach({ config: { ...config, ...over }, database, coachEmail: 'coach.one@school.example', io }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({ code: 'setup', field: variable, message: expect.stringContaining(`${variable} is not set`) });
    expect(fake.count('/api/auth/request_token')).toBe(before);
  });

  it('names KHAN_TOKEN_KEY when it is not a 32-byte key, without echoing it', async () => {
    const err = await authorizeKhanCoach({ config: { ...config, khanTokenKey: 'not-a-key-but-secret' }, database, coachEmail: 'a@b.example', io }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'setup', field: 'KHAN_TOKEN_KEY' });
    expect(String(err)).not.toContain('not-a-key-but-secret');
  });

  it('refuses a coach that is not an email address', async () => {
    await expect(authorizeKhanCoach({ config, database, coachEmail: 'kaid_coach1', io })).rejects.toMatchObject({ code: 'khan_bad_email' });
  });
});
