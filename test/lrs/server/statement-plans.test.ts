/**
 * A filtered page costs the same however many statements match: PostgreSQL's own plan of
 * each page query (EXPLAIN ANALYZE, on a store where every filter matches far more than
 * a page) reads about a page of rows from each table, never every match of the filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import type { StatementFilter } from '../../../src/lrs/statement-query.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { StatementStore } from '../../../src/lrs/server/statement-store.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { realistic, sid } from './lrs-app.js';

const VERBS = ['experienced', 'attempted', 'answered', 'completed'].map((v) => `http://adlnet.gov/expapi/verbs/${v}`);
const COURSES = ['https://courses.example.org/c1', 'https://courses.example.org/c2'];
const STATEMENTS = 4000;
const LIMIT = 10;
/**
 * Rows a page may read from one table: a few pages, as a scan may skip the rows of other
 * verbs, roles or registrations; every filter below matches at least 500.
 */
const PAGE_ROWS = 100;

/** Two learners, four verbs, two courses, five videos, three registrations on half: each filter matches hundreds. */
function statement(n: number) {
  return realistic(n, {
    learner: `learner-${n % 2}`,
    verb: VERBS[Math.floor(n / 2) % VERBS.length],
    parent: COURSES[Math.floor(n / 8) % COURSES.length],
    activity: `https://courses.example.org/video/${n % 5}`,
    ...(n % 2 === 0 ? { registration: sid(900_000 + (n % 3)) } : {}),
  });
}

const ann = { objectType: 'Agent' as const, account: { homePage: 'https://courses.example.org', name: 'learner-0' } };
type Made = ReturnType<typeof statement> & { actor: { account: { name: string } }; verb: { id: string }; object: { id: string } };
const isAnn = (s: Made) => s.actor.account.name === 'learner-0';
const inCourse = (course: string) => (s: Made) => JSON.stringify(s.context).includes(`"${course}"`);
/** Each filter, and which statements it matches. */
const FILTERS: Record<string, { filter: StatementFilter; matches: (s: Made) => boolean }> = {
  agent: { filter: { agent: ann }, matches: isAnn },
  'agent + verb': { filter: { agent: ann, verb: VERBS[1] }, matches: (s) => isAnn(s) && s.verb.id === VERBS[1] },
  'agent + verb, ascending': { filter: { agent: ann, verb: VERBS[1], ascending: true }, matches: (s) => isAnn(s) && s.verb.id === VERBS[1] },
  'activity with related_activities': { filter: { activity: COURSES[0], relatedActivities: true }, matches: inCourse(COURSES[0]!) },
  activity: { filter: { activity: 'https://courses.example.org/video/3' }, matches: (s) => s.object.id === 'https://courses.example.org/video/3' },
  verb: { filter: { verb: VERBS[2] }, matches: (s) => s.verb.id === VERBS[2] },
  registration: { filter: { registration: sid(900_001) }, matches: (s) => JSON.stringify(s.context).includes(sid(900_001)) },
  'since/until': { filter: { since: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' }, matches: () => true },
};

/** The ids of the first page of matches: statements are stored in the order of `n`. */
function expectedPage(filter: StatementFilter, matches: (s: Made) => boolean): string[] {
  const made = Array.from({ length: STATEMENTS }, (_, k) => statement(k + 1) as Made).filter(matches);
  return (filter.ascending ? made : made.reverse()).slice(0, LIMIT).map((s) => s.id as string);
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows each table's scans produced or dropped, over the whole plan. */
function rowsReadByTable(node: PlanNode, out = new Map<string, number>()): Map<string, number> {
  if (node['Relation Name'] !== undefined) {
    const read = node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0);
    out.set(node['Relation Name'], (out.get(node['Relation Name']) ?? 0) + read * node['Actual Loops']);
  }
  for (const child of node.Plans ?? []) rowsReadByTable(child, out);
  return out;
}

describe.each(DATABASE_KINDS)('plans of filtered statement pages on %s', (kind) => {
  let t: TestDatabase;
  const plans: PlanNode[] = [];
  let reader: EmbeddedStatementQuery;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    const store = new StatementStore(t.database);
    const authority = { objectType: 'Agent' as const, account: { homePage: 'urn:xapi-gateway', name: 'flusher' } };
    for (let from = 0; from < STATEMENTS; from += 500) {
      await store.store(Array.from({ length: 500 }, (_, k) => statement(from + k + 1)), { authority });
    }
    await t.database.query('ANALYZE');
    // The reader's own database, whose page queries are also explained.
    const explaining: Database = Object.create(t.database) as Database;
    explaining.query = async <T,>(text: string, params?: unknown[]) => {
      if (/FROM lrs_statements s/.test(text) && !/WHERE id = \$1/.test(text)) {
        const { rows } = await t.database.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
        const plan = rows[0]!['QUERY PLAN'];
        plans.push((typeof plan === 'string' ? (JSON.parse(plan) as [{ Plan: PlanNode }]) : plan)[0].Plan);
      }
      return t.database.query<T>(text, params);
    };
    reader = new EmbeddedStatementQuery(explaining);
  }, 120_000);

  afterAll(async () => {
    await t?.drop();
  });

  it.each(Object.entries(FILTERS))('%s: the right page, read through an index, never every match', async (_name, { filter, matches }) => {
    plans.length = 0;
    const page = await reader.page({ ...filter, limit: LIMIT });
    expect(page.statements.map((s) => s.id)).toEqual(expectedPage(filter, matches));
    expect(page.more).toBeDefined();
    expect(plans).toHaveLength(1);
    for (const [table, rows] of rowsReadByTable(plans[0]!)) {
      expect({ table, rows: rows <= PAGE_ROWS ? 'a few pages' : rows }).toEqual({ table, rows: 'a few pages' });
    }
  });
});
