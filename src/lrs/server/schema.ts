/**
 * The tables of the embedded LRS: statements with their agent and activity links,
 * documents, attachments, activity definitions and credentials; only src/lrs/server
 * queries them.
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, timestamptz } from '../../db/columns.js';

/**
 * Statements stored by the embedded LRS. `seq` is the sequential key that orders
 * results by `stored` and anchors `more` links; the JSON is the statement as the LRS
 * returns it (with `stored`, `authority`, `version`).
 */
export const lrsStatements = pgTable(
  'lrs_statements',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    id: uuid('id').notNull().unique(),
    statement: jsonb('statement').notNull(),
    verbId: text('verb_id').notNull(),
    registration: uuid('registration'),
    stored: timestamptz('stored').notNull(),
    timestamp: timestamptz('timestamp').notNull(),
    /** Set when a later voiding statement targets this one (Data §2.3.2). */
    voided: boolean('voided').notNull().default(false),
    /** The statement this one references through a StatementRef object, if any. */
    objectStatementId: uuid('object_statement_id'),
    /** Canonical form of the authority, for the credential that stored it. */
    authority: text('authority'),
  },
  (t) => [
    // Keyed like the result order, so that a filtered page is one ordered, limited scan.
    index('lrs_statements_verb_idx').on(t.verbId, t.stored, t.seq),
    // Partial: most statements carry no registration and no StatementRef, and a batch
    // insert pays for every index entry.
    index('lrs_statements_registration_idx').on(t.registration, t.stored, t.seq).where(sql`${t.registration} IS NOT NULL`),
    index('lrs_statements_stored_idx').on(t.stored, t.seq),
    index('lrs_statements_object_ref_idx').on(t.objectStatementId).where(sql`${t.objectStatementId} IS NOT NULL`),
    // Filtered queries also walk the statements that target another one (Communication
    // §2.1.3.s3); this index holds only those, so the walk costs nothing where there are none.
    index('lrs_statements_refs_by_stored_idx').on(t.stored, t.seq).where(sql`${t.objectStatementId} IS NOT NULL`),
  ],
);

/**
 * Which agents a statement names and in which role: `actor`, `object`, `authority`,
 * `instructor`, `team`, `<role>_member` for a Group's members, or `sub_*` inside a
 * SubStatement. The
 * `agent` filter matches actor and object; `related_agents` matches every role.
 * `ifi` is the canonical inverse functional identifier, e.g. `mbox:mailto:a@b.c`.
 */
export const lrsStatementAgents = pgTable(
  'lrs_statement_agents',
  {
    // No foreign key: link rows are written by the same statement as their parent and
    // statements are never deleted; the FK triggers cost a quarter of a batch insert.
    statementSeq: bigint('statement_seq', { mode: 'number' }).notNull(),
    ifi: text('ifi').notNull(),
    role: text('role').notNull(),
    /** The statement's `stored`, so that an `agent` page is one ordered scan of the key. */
    stored: timestamptz('stored').notNull(),
    /** The statement's verb, so that an `agent` + `verb` page is one ordered scan too. */
    verbId: text('verb_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ifi, t.stored, t.statementSeq, t.role] }),
    // Only the roles of the plain `agent` filter (AGENT_FILTER_ROLES, which the reader
    // repeats so that PostgreSQL proves the predicate): the authority row of every
    // statement stays out, half the entries a batch would add.
    index('lrs_statement_agents_verb_idx')
      .on(t.ifi, t.verbId, t.stored, t.statementSeq)
      .where(sql`${t.role} IN ('actor', 'object', 'actor_member', 'object_member')`),
  ],
);

/**
 * Which activities a statement names and in which role: `object`, `parent`,
 * `grouping`, `category`, `other`, or `sub_*` inside a SubStatement. The `activity`
 * filter matches the object; `related_activities` matches every role.
 */
export const lrsStatementActivities = pgTable(
  'lrs_statement_activities',
  {
    // No foreign key: link rows are written by the same statement as their parent and
    // statements are never deleted; the FK triggers cost a quarter of a batch insert.
    statementSeq: bigint('statement_seq', { mode: 'number' }).notNull(),
    activityId: text('activity_id').notNull(),
    role: text('role').notNull(),
    /** The statement's `stored`, so that an `activity` page is one ordered scan of the key. */
    stored: timestamptz('stored').notNull(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.stored, t.statementSeq, t.role] })],
);

/** Document resource kinds (Communication §2.3-§2.6). */
export const DOCUMENT_KINDS = ['state', 'activity_profile', 'agent_profile'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * Documents of the State, Activity Profile and Agent Profile resources. Parts a kind
 * does not use are '' (not NULL) so that one primary key covers every kind:
 * state = activity + agent + registration + id; activity profile = activity + id;
 * agent profile = agent + id.
 */
export const lrsDocuments = pgTable(
  'lrs_documents',
  {
    kind: text('kind').$type<DocumentKind>().notNull(),
    activityId: text('activity_id').notNull().default(''),
    agentIfi: text('agent_ifi').notNull().default(''),
    registration: text('registration').notNull().default(''),
    documentId: text('document_id').notNull(),
    content: bytea('content').notNull(),
    contentType: text('content_type').notNull(),
    /** Quoted SHA-1 of the content, as sent in ETag (Communication §3.1). */
    etag: text('etag').notNull(),
    updated: timestamptz('updated').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.activityId, t.agentIfi, t.registration, t.documentId] }),
    index('lrs_documents_updated_idx').on(t.kind, t.activityId, t.agentIfi, t.registration, t.updated),
  ],
);

/** Attachment payloads, stored once per SHA-256 (Data §2.4.11). */
export const lrsAttachments = pgTable('lrs_attachments', {
  sha2: text('sha2').primaryKey(),
  contentType: text('content_type').notNull(),
  length: integer('length').notNull(),
  content: bytea('content').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** The canonical definition of each activity the LRS has seen (Communication §2.5). */
export const lrsActivities = pgTable('lrs_activities', {
  activityId: text('activity_id').primaryKey(),
  definition: jsonb('definition').notNull(),
  updated: timestamptz('updated').notNull().defaultNow(),
});

/** Credential scopes: read only, or read and write. */
export const CREDENTIAL_SCOPES = ['read', 'read_write'] as const;
export type CredentialScope = (typeof CREDENTIAL_SCOPES)[number];

/**
 * Credentials of the embedded LRS kept in the database (besides LRS_USERS): the secret
 * is stored only as a scrypt hash, and a revoked credential stays for the record.
 */
export const lrsCredentials = pgTable('lrs_credentials', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  username: text('username').notNull().unique(),
  secretHash: text('secret_hash').notNull(),
  scope: text('scope').$type<CredentialScope>().notNull(),
  label: text('label'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  revokedAt: timestamptz('revoked_at'),
});
