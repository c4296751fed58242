import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertIdentityLinks } from '../../../src/catalog/identity-links.js';
import { khanCoaches } from '../../../src/ingest/khan/schema.js';
import { saveCoach } from '../../../src/ingest/khan/coach-store.js';
import { KhanOAuthClient, type KhanQuery, type KhanTokenPair } from '../../../src/ingest/khan/oauth.js';
import { pullKhan, type KhanPullOptions } from '../../../src/pipelines/khan.js';
import { parseVaultKey } from '../../../src/ingest/khan/token-vault.js';
import { LrsClient } from '../../../src/lrs/client.js';
import { DeliveryStats } from '../../../src/lrs/delivery-stats.js';
import { Flusher } from '../../../src/lrs/flusher.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { allStatements } from '../../../src/lrs/statement-query.js';
import { pseudonym } from '../../../src/xapi/ids.js';
import { startFakeKhan, type FakeKhan } from '../../fakes/khan.js';
import { KHAN_CONSUMER as CONSUMER, KHAN_SCHOOL as FIXTURE } from '../../fixtures/khan-school.js';
import { testClock } from '../../support/clock.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { LRS_USER, startEmbeddedLrs } from '../../support/embedded-lrs.js';

const KEY = parseVaultKey(randomBytes(32).toString('hex'));
const SECRET = 'pseudonym-secret-for-khan-tests';
const p = (userId: string) => pseudonym(SECRET, userId);

const STUDENTS = ['kaid_s1', 'kaid_s2', 'kaid_s3', 'kaid_s4'];
const PERSONAL = /kaid_s\d|Ada|ada_l|ada@example|bo@example|"Bo"|"Cy"|"Di"/;

describe.each(DATABASE_KINDS)('the Khan pull on %s', (kind) => {
  let t: TestDatabase;
  let fake: FakeKhan;
  let outbox: Outbox;
  let options: KhanPullOptions;
  const rows = async (sql: string) => (await t.database.query<Record<string, unknown>>(sql)).rows;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    fake = await startFakeKhan(structuredClone(FIXTURE));
    outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    for (const c of FIXTURE.coaches) await saveCoach(t.database, KEY, { coachId: c.user_id, email: c.email, token: fake.grantAccess(c.user_id) });
    options = {
      database: t.database, outbox, key: KEY, secret: SECRET, concurrency: 2, logger: pino({ level: 'silent' }),
      client: new KhanOAuthClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, timeoutMs: 5000, clock: testClock() }),
      retry: { attempts: 3, baseMs: 1, maxMs: 20 },
    };
  });
  afterEach(async () => {
    await fake.close();
    await t.drop();
  });

  it('fetches a student shared by two coaches once, keeps every pair and fills the tables', async () => {
    const summary = await pullKhan(options);
    expect(summary).toMatchObject({ coaches: 2, students: 4, errors: [] });
    // Four endpoints per student, once each, whatever the number of coaches.
    for (const id of STUDENTS) expect(fake.countStudent(id)).toBe(4);
    expect(fake.count('/api/v1/badges')).toBe(1);
    expect(fake.count('/api/v1/exercises')).toBe(1);
    expect(summary.requests).toBe(2 + 2 + 4 * 4);

    expect(await rows('SELECT coach, student FROM khan_coach_students ORDER BY coach, student')).toEqual([
      ...['kaid_s1', 'kaid_s2', 'kaid_s3'].map((s) => ({ coach: 'kaid_coach1', student: p(s) })),
      ...['kaid_s2', 'kaid_s4'].map((s) => ({ coach: 'kaid_coach2', student: p(s) })),
    ].sort((a, b) => a.coach.localeCompare(b.coach) || a.student.localeCompare(b.student)));
    const [ada] = await rows(`SELECT * FROM khan_stu_detail WHERE student = '${p('kaid_s1')}'`);
    expect(ada).toMatchObject({
      points: 12_500, total_seconds_watched: 3600, badge_lev0: 3, badge_lev1: 1, badge_lev2: 0, badge_lev5: 1, coaches: ['kaid_coach1'],
      nickname: null, username: null, profile_root: null, proficient_exercises: ['addition_1'], all_proficient_exercises: ['addition_1', 'counting_1'],
    });
    expect((ada!.joined as Date).toISOString()).toBe('2019-01-05T10:00:00.000Z');
    expect((ada!.registration_date as Date).toISOString()).toBe('2019-01-04T18:30:00.000Z');
    // The coaches by Khan user id, from the rosters; the emails Khan lists them by stay out.
    expect((await rows(`SELECT coaches FROM khan_stu_detail WHERE student = '${p('kaid_s2')}'`))[0]).toEqual({ coaches: ['kaid_coach1', 'kaid_coach2'] });
    // The old tool's level: the highest reached (maximum_exercise_progress), not the current one (mastery2).
    expect(await rows('SELECT student, exercise, streak, progress, total_done, total_correct, level, mastered, struggling, longest_streak FROM khan_composite_exercises')).toEqual([
      { student: p('kaid_s1'), exercise: 'addition_1', streak: 4, progress: 1, total_done: 20, total_correct: 18, level: 'mastery3', mastered: true, struggling: false, longest_streak: 9 },
    ]);
    expect(await rows('SELECT student, exercise, from_progress, to_progress FROM khan_exercise_states ORDER BY date')).toEqual([
      { student: p('kaid_s1'), exercise: 'addition_1', from_progress: 'practiced', to_progress: 'mastery1' },
      { student: p('kaid_s2'), exercise: 'addition_1', from_progress: null, to_progress: 'practiced' },
    ]);
    expect(await rows('SELECT student, slug, context FROM khan_badge_detail')).toEqual([{ student: p('kaid_s1'), slug: 'great-listener', context: 'Addition 1' }]);
    const composite = await rows(`SELECT slug, owned, count FROM khan_composite_badges WHERE student = '${p('kaid_s1')}' ORDER BY slug`);
    expect(composite).toEqual([{ slug: 'great-listener', owned: true, count: 1 }, { slug: 'sun', owned: false, count: 0 }]);
    expect(await rows('SELECT count(*)::int AS n FROM khan_composite_badges')).toEqual([{ n: 8 }]);
    expect(await rows('SELECT * FROM khan_badge_metadata ORDER BY slug')).toEqual([
      {
        slug: 'great-listener', name: 'greatlistener', description: 'Great Listener', translated_description: 'Grand auditeur',
        safe_extended_description: 'Listen to 30 minutes of video', translated_safe_extended_description: 'Listen to 30 minutes of video',
        badge_category: 1, points: 500, is_retired: false, hide_context: true,
        absolute_url: 'https://www.khanacademy.org/badges/great-listener', relative_url: '/badges/great-listener', icon_src: '/c.png',
        icons_compact: '/c.png', icons_email: '/e.png', icons_large: '/l.png', icons_small: '/s.png',
        icons: { compact: '/c.png', email: '/e.png', small: '/s.png', large: '/l.png' }, first_seen: expect.any(Date), last_seen: expect.any(Date),
      },
      expect.objectContaining({ slug: 'sun', name: 'sunbadge', is_retired: true, hide_context: false, icon_src: null, icons_small: null, icons: {} }),
    ]);
    expect(await rows('SELECT name, display_name FROM khan_exercise_metadata')).toEqual([{ name: 'addition_1', display_name: 'Addition 1' }]);
    expect(summary.import).toMatchObject({ statements: 10, added: 10, rejected: 2 });
  });

  it('keeps nickname, username and profile_root only when asked (KHAN_STORE_NAMES), never the Khan id or emails', async () => {
    await pullKhan({ ...options, storeNames: true });
    expect(await rows('SELECT student, nickname, username, profile_root FROM khan_stu_detail ORDER BY nickname')).toEqual([
      { student: p('kaid_s1'), nickname: 'Ada', username: 'ada_l', profile_root: '/profile/ada_l/' },
      { student: p('kaid_s2'), nickname: 'Bo', username: null, profile_root: '/profile/kaid_s2/' },
      { student: p('kaid_s4'), nickname: 'Di', username: null, profile_root: '/profile/kaid_s4/' },
    ]);
    // Without profile_root (asked for) no column holds a student's Khan id or email.
    const everything = JSON.stringify(await rows('SELECT * FROM khan_stu_detail')).replace(/"profile_root":"[^"]*"/g, '');
    expect(everything).not.toMatch(/kaid_s\d|@example/);
    // Turned off again: the next pull empties them.
    await pullKhan(options);
    expect(await rows('SELECT count(*)::int AS n FROM khan_stu_detail WHERE nickname IS NOT NULL OR username IS NOT NULL OR profile_root IS NOT NULL')).toEqual([{ n: 0 }]);
    expect(JSON.stringify(await rows('SELECT * FROM khan_stu_detail'))).not.toMatch(/kaid_s\d|@example/);
  });

  it('a second pull keeps first_seen, moves last_seen and adds no statement', async () => {
    await pullKhan(options);
    const before = await rows('SELECT student, first_seen, last_seen FROM khan_stu_detail ORDER BY student');
    const again = await pullKhan(options);
    expect(again.import).toMatchObject({ added: 0, known: 10 });
    const after = await rows('SELECT student, first_seen, last_seen FROM khan_stu_detail ORDER BY student');
    expect(after.map((r) => r.first_seen)).toEqual(before.map((r) => r.first_seen));
    after.forEach((r, i) => expect((r.last_seen as Date).getTime()).toBeGreaterThan((before[i]!.last_seen as Date).getTime()));
    for (const table of ['khan_coach_students', 'khan_composite_exercises', 'khan_exercise_states', 'khan_badge_detail', 'khan_composite_badges', 'khan_badge_metadata']) {
      const [counts] = await rows(`SELECT count(*)::int AS n, count(*) FILTER (WHERE last_seen > first_seen)::int AS moved FROM ${table}`);
      expect(counts!.n).toBeGreaterThan(0);
      expect(counts!.moved).toBe(counts!.n);
    }
    expect(await rows('SELECT count(*)::int AS n FROM statement_outbox')).toEqual([{ n: 10 }]);
  });

  it('rejects the items missing fields by field and pseudonym, and pulls the rest', async () => {
    const summary = await pullKhan(options);
    expect(summary.rejected).toBe(2);
    const rejected = await rows("SELECT position, code, reason FROM rejected_records WHERE source = 'khan' ORDER BY position");
    expect(rejected).toEqual([
      { position: `/api/v1/user/exercises?userId=${p('kaid_s3')} [0]`, code: 'missing_field', reason: expect.stringMatching(/total_done/) },
      { position: `/api/v1/user?userId=${p('kaid_s3')}`, code: 'missing_field', reason: expect.stringMatching(/total_seconds_watched/) },
    ]);
    expect(summary.import.byType['/api/v1/user']).toEqual({ translated: 3, ignored: 0, rejected: 1 });
    expect(await rows(`SELECT count(*)::int AS n FROM khan_composite_badges WHERE student = '${p('kaid_s3')}'`)).toEqual([{ n: 2 }]);
  });

  it('reports a student whose requests keep failing and pulls the others', async () => {
    fake.failStudent('kaid_s4', 500);
    const summary = await pullKhan(options);
    expect(summary.students).toBe(3);
    expect(summary.errors).toEqual([{ at: `student ${p('kaid_s4')}`, reason: expect.stringMatching(/500/) }]);
    // The first endpoint, tried `attempts` times, then the student is given up.
    expect(fake.countStudent('kaid_s4')).toBe(3);
    // kaid_s3's profile is rejected (missing fields), so two profiles are stored; none of kaid_s4.
    const pulled = (await rows('SELECT student FROM khan_stu_detail')).map((r) => r.student);
    expect(pulled.sort()).toEqual([p('kaid_s1'), p('kaid_s2')].sort());
    expect(await rows(`SELECT count(*)::int AS n FROM khan_composite_badges WHERE student = '${p('kaid_s4')}'`)).toEqual([{ n: 0 }]);
  });

  it('reports a revoked coach with last_error and pulls the other coach', async () => {
    fake.revoke('kaid_coach2');
    const summary = await pullKhan(options);
    expect(summary.coaches).toBe(1);
    expect(summary.errors).toEqual([{ at: 'coach kaid_coach2', reason: expect.stringMatching(/401/) }]);
    const coaches = await t.database.db.select().from(khanCoaches).orderBy(khanCoaches.coachId);
    expect(coaches.map((c) => [c.coachId, c.lastError, c.lastPullAt !== null])).toEqual([
      ['kaid_coach1', null, true],
      ['kaid_coach2', expect.stringMatching(/401/), true],
    ]);
    // kaid_s2 is reached through the first coach; kaid_s4 only had the revoked one.
    expect(fake.countStudent('kaid_s4')).toBe(0);
    expect(summary.students).toBe(3);
    expect(await rows('SELECT coach FROM khan_coach_students GROUP BY coach')).toEqual([{ coach: 'kaid_coach1' }]);
  });

  it('reports a coach whose token does not open with the key and pulls the other coach', async () => {
    await saveCoach(t.database, parseVaultKey(randomBytes(32).toString('hex')), { coachId: 'kaid_coach2', email: 'coach2@school.example', token: fake.grantAccess('kaid_coach2') });
    const summary = await pullKhan(options);
    expect(summary.errors).toEqual([{ at: 'coach kaid_coach2', reason: expect.stringMatching(/KHAN_TOKEN_KEY/) }]);
    const [two] = await t.database.db.select().from(khanCoaches).where(eq(khanCoaches.coachId, 'kaid_coach2'));
    expect(two!.lastError).toMatch(/KHAN_TOKEN_KEY/);
    expect(summary).toMatchObject({ coaches: 1, students: 3 });
  });

  it('fetches at most `concurrency` students at a time', async () => {
    let inFlight = 0;
    let most = 0;
    // Counts requests naming a student that are under way at once.
    class CountingClient extends KhanOAuthClient {
      override async get<T>(path: string, query: KhanQuery, token: KhanTokenPair): Promise<T> {
        if (query.userId === undefined) return super.get<T>(path, query, token);
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await super.get<T>(path, query, token);
        } finally {
          inFlight -= 1;
        }
      }
    }
    const client = new CountingClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
    await pullKhan({ ...options, client, concurrency: 2 });
    expect(most).toBe(2);
    most = 0;
    await pullKhan({ ...options, client, concurrency: 1 });
    expect(most).toBe(1);
  });

  it('logs progress as JSON lines without tokens or raw student ids', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const tokens = [fake.grantAccess('kaid_coach1'), fake.grantAccess('kaid_coach2')];
    for (const [i, c] of FIXTURE.coaches.entries()) await saveCoach(t.database, KEY, { coachId: c.user_id, email: c.email, token: tokens[i]! });
    fake.failStudent('kaid_s4', 500);
    await pullKhan({ ...options, logger: pino({ level: 'debug' }, sink) });
    const logged = lines.join('');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(expect.arrayContaining(['khan pull: rosters read', 'khan pull: student pulled', 'khan pull: not pulled', 'khan pull: finished']));
    for (const token of tokens) {
      expect(logged).not.toContain(token.token);
      expect(logged).not.toContain(token.tokenSecret);
    }
    expect(logged).not.toMatch(PERSONAL);
  });

  it('names a student linked to an ECO user by the ECO id in statements, and by the pseudonym in the tables', async () => {
    await upsertIdentityLinks(t.database, [{ platform: 'khan', platformUserId: 'kaid_s2', ecoUserId: 'eco-user-42' }]);
    await pullKhan(options);
    const actors = await rows("SELECT DISTINCT statement->'actor'->'account'->>'name' AS name FROM statement_outbox");
    expect(actors.map((r) => r.name).sort()).toEqual(['eco-user-42', p('kaid_s1'), p('kaid_s4')].sort());
    expect(await rows(`SELECT count(*)::int AS n FROM khan_stu_detail WHERE student = '${p('kaid_s2')}'`)).toEqual([{ n: 1 }]);
  });

  it('reports progress per student done, failed ones included, against the number to pull', async () => {
    fake.failStudent('kaid_s4', 500);
    const seen: [number, number][] = [];
    await pullKhan({ ...options, onProgress: (done, total) => void seen.push([done, total]) });
    expect(seen).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
  });

  it('waits out a 429 and goes on', async () => {
    fake.rateLimitOnce('/api/v1/user/students');
    const summary = await pullKhan(options);
    expect(summary).toMatchObject({ coaches: 2, students: 4, errors: [], requests: 2 + 2 + 4 * 4 + 1 });
  });

  it('delivers statements to the LRS without raw ids, names or emails', async () => {
    await pullKhan(options);
    const lrs = await startEmbeddedLrs(t.database);
    try {
      const client = new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 });
      const flushed = await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: pino({ level: 'silent' }), batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
      expect(flushed.sent).toBe(10);
      const byVerb: Record<string, number> = {};
      const names = new Set<string>();
      let text = '';
      for await (const s of allStatements(new EmbeddedStatementQuery(t.database), {})) {
        byVerb[s.verb.id] = (byVerb[s.verb.id] ?? 0) + 1;
        names.add((s.actor as { account: { name: string } }).account.name);
        text += JSON.stringify(s);
      }
      expect(byVerb).toEqual({
        'http://adlnet.gov/expapi/verbs/registered': 1,
        'http://adlnet.gov/expapi/verbs/scored': 4,
        'http://adlnet.gov/expapi/verbs/experienced': 2,
        'http://adlnet.gov/expapi/verbs/progressed': 1,
        'http://activitystrea.ms/schema/1.0/practice': 1,
        'http://id.tincanapi.com/verb/earned': 1,
      });
      expect([...names].sort()).toEqual([p('kaid_s1'), p('kaid_s2'), p('kaid_s4')].sort());
      expect(text).not.toMatch(PERSONAL);
      const stored = await rows("SELECT position || ' ' || reason AS r FROM rejected_records");
      expect(JSON.stringify(stored)).not.toMatch(PERSONAL);
    } finally {
      await lrs.close();
    }
  });
});
