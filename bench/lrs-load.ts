/**
 * Filling the embedded LRS's PostgreSQL database fast, and the COPY ceiling. Loading goes
 * through the project's own insert path (StatementStore, the code behind POST) in large
 * batches beside the running `serve`, since 2,000 HTTP batches per million cost minutes
 * of JSON over loopback that the figures do not need. The ceiling COPYs the same rows,
 * with their link rows, into a fresh database with the same tables and indexes.
 */
import { openDatabase } from '../src/db/connection.js';
import { activityLinks, agentIfi, agentLinks } from '../src/lrs/server/statement-links.js';
import { StatementStore } from '../src/lrs/server/statement-store.js';
import type { Agent, Statement } from '../src/xapi/types.js';
import { withBenchDatabase } from './bench-database.js';
import { statement, type StoreClock } from './lrs-workload.js';

const AUTHORITY: Agent = { objectType: 'Agent', account: { homePage: 'urn:xapi-gateway', name: 'bench' } };
const LOAD_BATCH = 5000;

/** Stores statements [from, to) into the database at `url` through StatementStore; returns statements/s. */
export async function bulkLoad(url: string, from: number, to: number, clock: StoreClock): Promise<number> {
  const database = await openDatabase({ url });
  const store = new StatementStore(database);
  let next = from;
  const started = performance.now();
  try {
    const worker = async () => {
      while (next < to) {
        const start = next;
        next = Math.min(to, next + LOAD_BATCH);
        await store.store(Array.from({ length: next - start }, (_, k) => statement(start + k)), { authority: AUTHORITY });
        clock.mark(next);
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    await database.close();
  }
  return (to - from) / ((performance.now() - started) / 1000);
}

/**
 * Brings the store to the state autovacuum keeps it in, so that every size is measured
 * alike rather than just after a load: statistics current, visibility map set (index-only
 * scans of the link rows), and the load's dirty pages written out.
 */
export async function settle(url: string): Promise<void> {
  const database = await openDatabase({ url });
  try {
    await database.unbounded(async (db) => {
      await db.query('VACUUM (ANALYZE) lrs_statements, lrs_statement_agents, lrs_statement_activities');
      await db.query('CHECKPOINT');
    });
  } finally {
    await database.close();
  }
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}
const copyRow = (fields: (string | number | null)[]) => fields.map(copyField).join('\t') + '\n';

/** COPYs statements [0, count), as stored, with their link rows, in one transaction; returns statements/s. */
export async function copyCeiling(count: number): Promise<number> {
  return withBenchDatabase(async (database) => {
    const started = performance.now();
    const stored = new Date().toISOString();
    const authority = agentIfi(AUTHORITY) ?? null;
    let statements = '';
    let agents = '';
    let activities = '';
    for (let i = 0; i < count; i++) {
      const s = { ...statement(i), stored, authority: AUTHORITY, version: '1.0.0' } as Statement;
      const seq = i + 1;
      statements += copyRow([seq, s.id!, JSON.stringify(s), s.verb.id, s.context?.registration ?? null, stored, s.timestamp!, null, authority]);
      for (const l of agentLinks(s)) agents += copyRow([seq, l.ifi, l.role, stored, s.verb.id]);
      for (const l of activityLinks(s)) activities += copyRow([seq, l.activityId, l.role, stored]);
    }
    await database.transaction(async (session) => {
      await session.copyIn('lrs_statements (seq, id, statement, verb_id, registration, stored, "timestamp", object_statement_id, authority)', statements);
      await session.copyIn('lrs_statement_agents (statement_seq, ifi, role, stored, verb_id)', agents);
      await session.copyIn('lrs_statement_activities (statement_seq, activity_id, role, stored)', activities);
    });
    return count / ((performance.now() - started) / 1000);
  });
}
