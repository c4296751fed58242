/**
 * The tables of the outbox and of import runs with their rejected records (DESIGN.md
 * invariants 2 and 3); only src/lrs queries them.
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '../db/columns.js';

/** Outbox row states (DESIGN.md invariant 3). */
export const OUTBOX_STATES = ['pending', 'sent', 'conflict', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * The durable buffer: one row per statement until the LRS has it. A row is claimed by
 * setting a lease; it stays `pending` while leased, so a crashed sender's rows become
 * claimable again when the lease expires.
 */
export const statementOutbox = pgTable(
  'statement_outbox',
  {
    id: uuid('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    statement: jsonb('statement').notNull(),
    source: text('source').notNull(),
    state: text('state').$type<OutboxState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamptz('lease_expires_at'),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    settledAt: timestamptz('settled_at'),
  },
  (t) => [
    check('statement_outbox_state_check', sql`${t.state} in ('pending', 'sent', 'conflict', 'dead')`),
    // The claim query walks only due pending rows, oldest first.
    index('statement_outbox_due_idx').on(t.nextAttemptAt, t.seq).where(sql`${t.state} = 'pending'`),
    index('statement_outbox_state_idx').on(t.state),
  ],
);

/** Records that could not be read, translated or validated (DESIGN.md invariant 2). */
export const rejectedRecords = pgTable(
  'rejected_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: bigint('run_id', { mode: 'number' }).references(() => importRuns.id, { onDelete: 'set null' }),
    source: text('source').notNull(),
    /** The source type it is counted under in the run's `byType` (edX event type, Coursera table, ...); null on rows older than the column. */
    type: text('type'),
    position: text('position').notNull(),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    payload: text('payload'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('rejected_records_run_idx').on(t.runId), index('rejected_records_source_idx').on(t.source)],
);

/** Import run states; `interrupted`: its process stopped before it ended (lrs/import-run-sweep.ts). */
export const RUN_STATES = ['running', 'finished', 'failed', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** One run of an importer or pull, with its summary counts. */
export const importRuns = pgTable('import_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  source: text('source').notNull(),
  input: text('input'),
  status: text('status').$type<RunState>().notNull().default('running'),
  startedAt: timestamptz('started_at').notNull().defaultNow(),
  endedAt: timestamptz('ended_at'),
  counts: jsonb('counts'),
  error: text('error'),
});
