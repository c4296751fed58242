/**
 * The sync's memory of each S3 object (table `edx_s3_objects`): its ETag and how far it
 * got. An object is fetched again only when new, changed (another ETag), or not yet
 * imported; a failure keeps a code from a closed list, and its message is built here.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/connection.js';
import { edxS3Objects } from './schema.js';

/** Why an object failed. */
export type SyncFailure = 'fetch' | 'checksum' | 'size' | 'bad-passphrase' | 'no-secret-key' | 'not-encrypted' | 'decrypt' | 'unpack' | 'import';

/**
 * The one line a failure is reported with; it names the object's key (an edX file name, no learner data), never a secret.
 * @example failureMessage('checksum', 'course-data/orgx-2026-11-01.zip') // 'course-data/orgx-2026-11-01.zip: the MD5 of the download does not match its ETag'
 */
export function failureMessage(code: SyncFailure, at: string): string {
  switch (code) {
    case 'fetch':
      return `${at}: S3 did not give the object`;
    case 'checksum':
      return `${at}: the MD5 of the download does not match its ETag`;
    case 'size':
      return `${at}: the download is not the size S3 lists`;
    case 'bad-passphrase':
      return `${at}: EDX_GPG_PASSPHRASE does not unlock the key of EDX_GPG_KEY_FILE`;
    case 'no-secret-key':
      return `${at}: not encrypted for the key of EDX_GPG_KEY_FILE`;
    case 'not-encrypted':
      return `${at}: not an OpenPGP message`;
    case 'decrypt':
      return `${at}: gpg could not decrypt it`;
    case 'unpack':
      return `${at}: not a zip the sync can unpack (unreadable, or an entry outside its folder)`;
    case 'import':
      return `${at}: the import refused it`;
  }
}

/** The state of an object, as stored. */
export interface ObjectState {
  etag: string;
  state: 'fetched' | 'decrypted' | 'imported' | 'failed';
}

/** The stored state of every object of `bucket`, by key. */
export async function objectStates(database: Database, bucket: string): Promise<Map<string, ObjectState>> {
  const rows = await database.db.select({ key: edxS3Objects.key, etag: edxS3Objects.etag, state: edxS3Objects.state }).from(edxS3Objects).where(eq(edxS3Objects.bucket, bucket));
  return new Map(rows.map((r) => [r.key, { etag: r.etag, state: r.state }]));
}

/** What a step of the sync records of an object. */
export type ObjectStep =
  | { state: 'fetched' | 'decrypted' }
  | { state: 'imported'; runId?: string }
  | { state: 'failed'; errorCode: SyncFailure };

/** Records a step of `object`, at `now` (a fetch resets the error and the run). */
export async function recordStep(database: Database, object: { bucket: string; key: string; etag: string; size: number }, step: ObjectStep, now: Date): Promise<void> {
  const values = {
    ...object,
    state: step.state,
    errorCode: step.state === 'failed' ? step.errorCode : null,
    updatedAt: now,
    ...(step.state === 'fetched' && { fetchedAt: now, runId: null }),
    ...(step.state === 'imported' && { importedAt: now, runId: step.runId ?? null }),
  };
  const { bucket: _bucket, key: _key, ...set } = values;
  await database.db.insert(edxS3Objects).values(values).onConflictDoUpdate({ target: [edxS3Objects.bucket, edxS3Objects.key], set });
}
