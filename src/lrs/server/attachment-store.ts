/**
 * Attachment data in `lrs_attachments`, stored once per SHA-2 (Data §2.4.11): written in
 * the transaction of the statements that declare it, read back for GET /statements with
 * `attachments=true` (Communication §2.1.3.s2.b6).
 */
import type { SqlSession } from '../../db/connection.js';

/** Attachment data as stored. */
export interface StoredAttachment {
  /** Lower-case hex SHA-2 of `content`. */
  sha2: string;
  contentType: string;
  content: Buffer;
}

/**
 * Stores each payload unless its hash is already stored, in one SQL statement. Contents
 * travel as binary parameters, one row each.
 * @example await storeAttachments(session, [{ sha2, contentType: 'text/plain', content }])
 */
export async function storeAttachments(session: SqlSession, attachments: readonly StoredAttachment[]): Promise<void> {
  if (attachments.length === 0) return;
  const params: unknown[] = [];
  const rows = attachments.map((a) => {
    params.push(a.sha2, a.contentType, a.content.length, a.content);
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}::int, $${n}::bytea)`;
  });
  await session.query(
    `INSERT INTO lrs_attachments (sha2, content_type, length, content) VALUES ${rows.join(', ')} ON CONFLICT (sha2) DO NOTHING`,
    params,
  );
}

/**
 * The stored attachments among `sha2s` (lower-case hex), in no particular order; hashes
 * with no stored data (fileUrl-only attachments) are left out.
 */
export async function loadAttachments(session: SqlSession, sha2s: readonly string[]): Promise<StoredAttachment[]> {
  if (sha2s.length === 0) return [];
  const { rows } = await session.query<{ sha2: string; content_type: string; content: Uint8Array }>(
    `SELECT sha2, content_type, content FROM lrs_attachments WHERE sha2 = ANY($1::text[])`,
    [sha2s],
  );
  // node-postgres gives a Buffer, PGlite a Uint8Array: wrap without copying.
  return rows.map((r) => ({
    sha2: r.sha2,
    contentType: r.content_type,
    content: Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength),
  }));
}
