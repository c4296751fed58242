/**
 * What the edX S3 sync has done with each object of the buckets (objects.ts), so that a
 * sync resumes where the last stopped and fetches only new or changed objects.
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { bigint, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../../db/columns.js';

/**
 * One S3 object by bucket and key, at its last seen ETag: `fetched` (the encrypted
 * original is in the backup folder), `decrypted`, `imported`, or `failed` with a code.
 * A new ETag for a key starts the object over.
 */
export const edxS3Objects = pgTable(
  'edx_s3_objects',
  {
    bucket: text('bucket').notNull(),
    key: text('key').notNull(),
    etag: text('etag').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    state: text('state', { enum: ['fetched', 'decrypted', 'imported', 'failed'] }).notNull(),
    /** Why it failed, from a closed list (sync-errors.ts); null unless failed. */
    errorCode: text('error_code'),
    /** The import run that took its records in. */
    runId: text('run_id'),
    fetchedAt: timestamptz('fetched_at'),
    importedAt: timestamptz('imported_at'),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key] })],
);
