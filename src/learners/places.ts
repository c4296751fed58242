/**
 * Every place the gateway holds a learner's data, as one table: find counts the rows of
 * each, export writes them, erase deletes them. A place belongs to a store (`gateway`:
 * the outbox and the platform tables; `lrs`: the embedded LRS), and each store is erased
 * in one transaction. A new table of learner data is added here, and nowhere else.
 */
import type { Learner, LearnerPlatform } from './learner.js';

/** A parameterized SQL condition. */
export interface Condition {
  sql: string;
  params: unknown[];
}

/** One place of learner data. */
export interface Place {
  /** Its name in find's answer, the archive (`<name>.csv` or `.ndjson`) and the registry's counts. */
  name: string;
  store: 'gateway' | 'lrs';
  table: string;
  /** What it holds, for the archive's README. */
  about: string;
  /** What one row and several rows are called, e.g. in the console's confirmation of an erasure. */
  units: readonly [one: string, many: string];
  /** The platforms whose learners it holds; every platform when absent. */
  platforms?: readonly LearnerPlatform[];
  /** The learner's rows. */
  where: (learner: Learner) => Condition;
  /** `ndjson`: the `statement` column, one statement a line; `csv`: every column. */
  format: 'ndjson' | 'csv';
  /** A column find counts rows by (the outbox by state). */
  countBy?: string;
}

/** A statement whose actor is one of the learner's accounts ($1 homePage, $2 account names). */
const ACTOR_IS_THEIRS = `statement->'actor'->'account'->>'homePage' = $1 AND statement->'actor'->'account'->>'name' = ANY($2::text[])`;

/**
 * The embedded LRS statements naming one of the learner's IFIs ($1) in any role, and those
 * that refer to one of them (voiding statements, StatementRefs: Data §2.4.4.3).
 */
export const LRS_THEIRS = `(SELECT statement_seq FROM lrs_statement_agents WHERE ifi = ANY($1::text[])
  UNION SELECT r.seq FROM lrs_statements r JOIN lrs_statements t ON r.object_statement_id = t.id
   JOIN lrs_statement_agents a ON a.statement_seq = t.seq WHERE a.ifi = ANY($1::text[]))`;

/** The attachment hashes of the statements of LRS_THEIRS. */
export const LRS_THEIR_ATTACHMENTS = `(SELECT a->>'sha2' FROM lrs_statements s
  CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.statement->'attachments') = 'array' THEN s.statement->'attachments' ELSE '[]'::jsonb END) a
  WHERE s.seq IN ${LRS_THEIRS})`;

const RE_SPECIALS = /[\\^$.|?*+()[\]{}]/g;
const escapeRe = (text: string) => text.replace(RE_SPECIALS, '\\$&');

/** Ids this long are told apart from other values of a record (hashed ids, UUIDs, `kaid_`s). */
const DISTINCT_ID_LENGTH = 8;

/**
 * How a rejected record's raw text names the learner, as a PostgreSQL regular
 * expression: their pseudonym (Khan positions carry it), and their user id: as a whole
 * token when it is long enough to be theirs alone, else only as the value of a user id
 * field (`"user_id": 42`), so that the answer 42 of someone else is not taken for them.
 */
export function mentionPattern(learner: Learner): string {
  const id = escapeRe(learner.userId);
  const token = (t: string) => `(^|[^A-Za-z0-9_-])${t}($|[^A-Za-z0-9_-])`;
  const asField = `"(user_id|userId|learner_id|user|hashed_user_id)"[[:space:]]*:[[:space:]]*"?${id}"?([^A-Za-z0-9_-]|$)`;
  const byId = learner.userId.length >= DISTINCT_ID_LENGTH ? token(id) : asField;
  return `${token(escapeRe(learner.pseudonym))}|${byId}`;
}

/** The importers (`rejected_records.source`) whose records name learners of each platform. */
const REJECTING_SOURCES: Record<LearnerPlatform, readonly string[]> = {
  edx: ['edx', 'edx-package'],
  coursera: ['coursera'],
  futurelearn: ['futurelearn'],
  khan: ['khan'],
};

const byPseudonym = (l: Learner): Condition => ({ sql: 'student = $1', params: [l.pseudonym] });

/** The Khan warehouse tables, all keyed by the student's pseudonym (ingest/khan/warehouse.ts). */
const KHAN_TABLES: readonly [table: string, about: string, units: Place['units']][] = [
  ['khan_stu_detail', "the student's profile and totals", ['Khan student profile', 'Khan student profiles']],
  ['khan_composite_exercises', 'their state and totals per exercise', ['Khan exercise total', 'Khan exercise totals']],
  ['khan_exercise_states', 'their progress changes per exercise', ['Khan exercise progress change', 'Khan exercise progress changes']],
  ['khan_badge_detail', 'every badge they earned', ['Khan badge', 'Khan badges']],
  ['khan_composite_badges', 'their badges and counts', ['Khan badge count', 'Khan badge counts']],
  ['khan_coach_students', 'which coaches list them', ['Khan coach listing', 'Khan coach listings']],
];

/** Every place, in the order export writes them and erase deletes them. */
export const PLACES: readonly Place[] = [
  {
    name: 'outbox', store: 'gateway', table: 'statement_outbox', format: 'ndjson', countBy: 'state',
    about: 'their xAPI statements in the outbox (pending, sent, conflict or dead), and statements referring to theirs',
    units: ['statement in the outbox', 'statements in the outbox'],
    where: (l) => ({
      sql: `(${ACTOR_IS_THEIRS}) OR (statement->'object'->>'objectType' = 'StatementRef' AND statement->'object'->>'id' IN (SELECT id::text FROM statement_outbox WHERE ${ACTOR_IS_THEIRS}))`,
      params: [l.homePage, l.names],
    }),
  },
  {
    name: 'rejected_records', store: 'gateway', table: 'rejected_records', format: 'csv',
    about: 'records of theirs that could not be read or translated, as received',
    units: ['rejected record', 'rejected records'],
    where: (l) => ({ sql: `source = ANY($1::text[]) AND (coalesce(payload, '') ~ $2 OR position ~ $2)`, params: [REJECTING_SOURCES[l.platform], mentionPattern(l)] }),
  },
  {
    name: 'learner_profiles', store: 'gateway', table: 'learner_profiles', format: 'csv',
    about: 'their anonymized profile (edX auth_userprofile, FutureLearn demographics)',
    units: ['learner profile', 'learner profiles'],
    where: (l) => ({ sql: 'platform = $1 AND learner = ANY($2::text[])', params: [l.platform, l.names] }),
  },
  {
    name: 'identity_links', store: 'gateway', table: 'identity_links', format: 'csv',
    about: 'the link of their platform account to their ECO account',
    units: ['identity link to ECO', 'identity links to ECO'],
    where: (l) => ({ sql: 'platform = $1 AND platform_user_id = $2', params: [l.platform, l.userId] }),
  },
  {
    name: 'coursera_indicator_choices', store: 'gateway', table: 'coursera_indicator_choices', format: 'csv', platforms: ['coursera'],
    about: 'the Coursera indicators they chose to see',
    units: ['Coursera indicator choice', 'Coursera indicator choices'],
    where: (l) => ({ sql: 'learner = ANY($1::text[])', params: [l.names] }),
  },
  {
    name: 'coursera_indicator_snapshots', store: 'gateway', table: 'coursera_indicator_snapshots', format: 'csv', platforms: ['coursera'],
    about: 'their Coursera indicators as kept each day',
    units: ['daily snapshot of their indicators', 'daily snapshots of their indicators'],
    where: (l) => ({ sql: 'learner = ANY($1::text[])', params: [l.names] }),
  },
  {
    name: 'coursera_session_members', store: 'gateway', table: 'coursera_session_members', format: 'csv', platforms: ['coursera'],
    about: 'the Coursera sessions (cohorts) they were a member of',
    units: ['Coursera session membership', 'Coursera session memberships'],
    where: (l) => ({ sql: 'learner = ANY($1::text[])', params: [l.names] }),
  },
  ...KHAN_TABLES.map(([table, about, units]): Place => ({ name: table, store: 'gateway', table, format: 'csv', platforms: ['khan'], about, units, where: byPseudonym })),
  {
    name: 'lrs_statements', store: 'lrs', table: 'lrs_statements', format: 'ndjson',
    about: 'their statements in the embedded LRS, and statements referring to theirs (voiding, StatementRef)',
    units: ['statement in the embedded LRS', 'statements in the embedded LRS'],
    where: (l) => ({ sql: `seq IN ${LRS_THEIRS}`, params: [l.ifis] }),
  },
  {
    name: 'lrs_documents', store: 'lrs', table: 'lrs_documents', format: 'csv', countBy: 'kind',
    about: 'documents of the agent profile and state APIs kept for their agent (content in base64)',
    units: ['document in the embedded LRS', 'documents in the embedded LRS'],
    where: (l) => ({ sql: 'agent_ifi = ANY($1::text[])', params: [l.ifis] }),
  },
  {
    name: 'lrs_attachments', store: 'lrs', table: 'lrs_attachments', format: 'csv',
    about: 'attachments of their statements (content in base64)',
    units: ['attachment in the embedded LRS', 'attachments in the embedded LRS'],
    where: (l) => ({ sql: `sha2 IN ${LRS_THEIR_ATTACHMENTS}`, params: [l.ifis] }),
  },
];

/** The places that can hold data of a learner of `platform`. */
export function placesOf(platform: LearnerPlatform): Place[] {
  return PLACES.filter((p) => p.platforms === undefined || p.platforms.includes(platform));
}

/** `rows` rows of the place named `name` in words, e.g. `12 statements in the outbox`. */
export function rowsInWords(name: string, rows: number): string {
  const units = PLACES.find((p) => p.name === name)?.units ?? [`row of ${name}`, `rows of ${name}`];
  return `${rows} ${rows === 1 ? units[0] : units[1]}`;
}
