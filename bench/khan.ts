/**
 * The Khan Academy pull on a generated school: `students` students on the fake Khan
 * server (one roster per 100 students, every tenth student on two rosters), each with 20
 * exercises, 10 progress changes and 5 badge awards, pulled into PostgreSQL (tables and
 * outbox) at KHAN_CONCURRENCY 4 and 16. The fake runs in the same process and its
 * signature checks cost CPU here too: the figures are a floor for a remote server's
 * latency-bound pull, not a ceiling.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { saveCoach } from '../src/ingest/khan/coach-store.js';
import { KhanOAuthClient } from '../src/ingest/khan/oauth.js';
import { pullKhan } from '../src/pipelines/khan.js';
import { parseVaultKey } from '../src/ingest/khan/token-vault.js';
import { Outbox } from '../src/lrs/outbox.js';
import { startFakeKhan, type FakeKhanOptions, type FakeKhanStudent } from '../test/fakes/khan.js';
import { withBenchDatabase } from './bench-database.js';
import { measured } from './measured.js';

const CONSUMER = { key: 'bench-consumer', secret: 'bench-consumer-secret' };
const EXERCISES = Array.from({ length: 20 }, (_, i) => `exercise_${i}`);
const BADGES = Array.from({ length: 10 }, (_, i) => ({ name: `badge${i}`, slug: `badge-${i}`, description: `Badge ${i}`, badge_category: i % 6, points: 100 * i, icons: {} }));
const day = (n: number) => new Date(Date.UTC(2019, 0, 1) + n * 86_400_000).toISOString();

function student(n: number): FakeKhanStudent {
  return {
    profile: { nickname: `Student ${n}`, points: 100 * n, total_seconds_watched: 60 * n, joined: day(n % 300), badge_counts: { 0: 2, 1: 1 }, proficient_exercises: EXERCISES.slice(0, 3) },
    exercises: EXERCISES.map((name, i) => ({
      exercise_model: { name, display_name: name }, streak: i, longest_streak: i + 2, total_done: 10 + i, total_correct: 5 + i, progress: 0.5, last_done: day(n % 300 + i),
      exercise_progress: { level: i < 3 ? 'mastery2' : 'practiced', mastered: i < 3, practiced: true, proficient: i < 3, struggling: false },
    })),
    progressChanges: Array.from({ length: 10 }, (_, i) => ({ exercise_name: EXERCISES[i], date: day(n % 300 + i), from_progress: { level: 'unstarted' }, to_progress: { level: 'practiced' } })),
    badges: Array.from({ length: 5 }, (_, i) => ({ badge_name: `badge${i}`, date: day(n % 300 + i), target_context_name: EXERCISES[i], points_earned: 100 })),
  };
}

/** Pulls a generated school at two concurrencies; returns the figures of each. */
export async function benchKhan(students: number): Promise<Record<string, unknown>> {
  const ids = Array.from({ length: students }, (_, n) => `kaid_student_${n}`);
  const coachCount = Math.max(1, Math.ceil(students / 100));
  const coaches = Array.from({ length: coachCount }, (_, c) => ({
    user_id: `kaid_coach_${c}`, email: `coach${c}@school.example`,
    // Every tenth student is also on the next coach's roster: fetched once all the same.
    students: ids.filter((_, n) => Math.floor(n / 100) === c || (n % 10 === 0 && Math.floor(n / 100) === (c + coachCount - 1) % coachCount)),
  }));
  const school: FakeKhanOptions = {
    consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, coaches,
    students: Object.fromEntries(ids.map((id, n) => [id, student(n)])),
    badges: BADGES, exercises: EXERCISES.map((name) => ({ name, display_name: name })),
  };
  const results: Record<string, unknown> = { students, coaches: coachCount };
  for (const concurrency of [4, 16]) {
    const fake = await startFakeKhan(school);
    try {
      results[`concurrency${concurrency}`] = await withBenchDatabase(async (database) => {
        const key = parseVaultKey(randomBytes(32).toString('hex'));
        for (const c of coaches) await saveCoach(database, key, { coachId: c.user_id, email: c.email, token: fake.grantAccess(c.user_id) });
        const client = new KhanOAuthClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
        const outbox = new Outbox(database, { baseMs: 1000, maxMs: 60_000, maxAttempts: 50 });
        const run = await measured(() => pullKhan({ database, outbox, client, key, secret: 'bench-pseudonym-secret', concurrency, logger: pino({ level: 'silent' }) }));
        const s = run.value;
        const figures = {
          students: s.students, requests: s.requests, statements: s.import.statements, errors: s.errors.length,
          seconds: Number(run.seconds.toFixed(1)), studentsPerSecond: Math.round(s.students / run.seconds), requestsPerSecond: Math.round(s.requests / run.seconds), peakRssMb: run.peakRssMb,
        };
        console.error(`khan pull of ${s.students} students at concurrency ${concurrency}: ${figures.studentsPerSecond} students/s, ${figures.requestsPerSecond} requests/s, peak RSS ${figures.peakRssMb} MB`);
        return figures;
      });
    } finally {
      await fake.close();
    }
  }
  return results;
}
