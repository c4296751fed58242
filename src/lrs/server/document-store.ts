/**
 * Documents of the State, Activity Profile and Agent Profile resources, with the
 * optimistic concurrency of Communication §3.1: every change reads the current row
 * `FOR UPDATE` in its transaction, checks If-Match / If-None-Match against its ETag, and
 * only then writes, so of two writers holding the same ETag exactly one wins.
 */
import { createHash } from 'node:crypto';
import type { Database, SqlSession } from '../../db/connection.js';
import { CodedError } from '../../errors.js';
import { storableIssues } from '../../xapi/index.js';
import type { DocumentKey, DocumentScope } from './document-params.js';

/** A stored document. */
export interface StoredDocument {
  content: Buffer;
  contentType: string;
  etag: string;
  updated: Date;
}

/** The If-Match and If-None-Match headers of a request. */
export interface Precondition {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** The quoted SHA-1 of `content`, the ETag the spec prescribes (§3.1.s4.b2, b4). */
export function etagOf(content: Buffer | string): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

const KEY_WHERE = 'kind = $1 AND activity_id = $2 AND agent_ifi = $3 AND registration = $4';
const keyParams = (s: DocumentScope) => [s.kind, s.activityId, s.agentIfi, s.registration];

/** The documents over one database. */
export class DocumentStore {
  constructor(private readonly database: Database) {}

  /** One document, or null. */
  async get(key: DocumentKey): Promise<StoredDocument | null> {
    const { rows } = await this.database.query<StoredDocument>(
      `SELECT content, content_type AS "contentType", etag, updated FROM lrs_documents WHERE ${KEY_WHERE} AND document_id = $5`,
      [...keyParams(key), key.documentId],
    );
    return asDocument(rows[0]);
  }

  /** The ids of a scope's documents updated after `since`, and when the latest changed. */
  async list(scope: DocumentScope, since?: string): Promise<{ ids: string[]; updated: Date | null }> {
    const { rows } = await this.database.query<{ document_id: string; updated: Date }>(
      `SELECT document_id, updated FROM lrs_documents WHERE ${KEY_WHERE} AND ($5::timestamptz IS NULL OR updated > $5::timestamptz)
        ORDER BY updated, document_id`,
      [...keyParams(scope), since ?? null],
    );
    const updated = rows.reduce<Date | null>((latest, r) => (latest && latest > r.updated ? latest : r.updated), null);
    return { ids: rows.map((r) => r.document_id), updated };
  }

  /**
   * Stores `content` under `key` after the checks of §3.1; `merge` applies the JSON
   * procedure of §2.2.s7 instead of replacing. `withoutPrecondition` says what a write
   * carrying neither If-Match nor If-None-Match may do.
   */
  async write(
    key: DocumentKey,
    doc: { content: Buffer; contentType: string },
    opts: { precondition: Precondition; merge: boolean; withoutPrecondition: MissingPrecondition },
  ): Promise<void> {
    await this.database.transaction(async (session) => {
      const existing = await lockRow(session, key);
      checkPrecondition(existing, opts.precondition);
      if (opts.precondition.ifMatch === undefined && opts.precondition.ifNoneMatch === undefined) {
        refuseUnconditional(existing !== null, opts.withoutPrecondition);
      }
      const stored = opts.merge && existing ? mergeJson(existing, doc) : doc;
      const params = [...keyParams(key), key.documentId, stored.content, stored.contentType, etagOf(stored.content)];
      if (existing) {
        await session.query(
          `UPDATE lrs_documents SET content = $6, content_type = $7, etag = $8, updated = now() WHERE ${KEY_WHERE} AND document_id = $5`,
          params,
        );
        return;
      }
      const { affected } = await session.query(
        `INSERT INTO lrs_documents (kind, activity_id, agent_ifi, registration, document_id, content, content_type, etag, updated)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) ON CONFLICT DO NOTHING`,
        params,
      );
      // Another writer created it since we looked: as if our precondition saw it.
      if (affected === 0) throw new CodedError('conflict', 'the document was created by another request at the same time; retry');
    });
  }

  /** Deletes one document after the If-Match check (§3.1.s4.b7); absent is not an error. */
  async delete(key: DocumentKey, precondition: Precondition): Promise<void> {
    await this.database.transaction(async (session) => {
      const existing = await lockRow(session, key);
      checkPrecondition(existing, precondition);
      if (existing) await session.query(`DELETE FROM lrs_documents WHERE ${KEY_WHERE} AND document_id = $5`, [...keyParams(key), key.documentId]);
    });
  }

  /** Deletes every document of a scope (State, §2.3.s5). */
  async deleteAll(scope: DocumentScope): Promise<void> {
    await this.database.query(`DELETE FROM lrs_documents WHERE ${KEY_WHERE}`, keyParams(scope));
  }
}

async function lockRow(session: SqlSession, key: DocumentKey): Promise<StoredDocument | null> {
  const { rows } = await session.query<StoredDocument>(
    `SELECT content, content_type AS "contentType", etag, updated FROM lrs_documents WHERE ${KEY_WHERE} AND document_id = $5 FOR UPDATE`,
    [...keyParams(key), key.documentId],
  );
  return asDocument(rows[0]);
}

/** PGlite returns bytea as a Uint8Array, node-postgres as a Buffer. */
function asDocument(row: StoredDocument | undefined): StoredDocument | null {
  return row ? { ...row, content: Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content) } : null;
}

/**
 * What a write without If-Match and If-None-Match may do: `allow` it; refuse it with 409
 * where the document `exists` (§3.1.s4.b13); or refuse it `always`, with 400 where there is
 * no document yet, so that a client states its precondition even then (XAPI-00273, XAPI-00293).
 */
export type MissingPrecondition = 'allow' | 'conflict-if-exists' | 'always';

function refuseUnconditional(exists: boolean, policy: MissingPrecondition): void {
  if (policy === 'allow') return;
  if (exists) {
    throw new CodedError('conflict', 'the document exists: check its current state and send If-Match with its ETag (or If-None-Match: * to create only)');
  }
  if (policy === 'always') throw new CodedError('invalid', 'If-Match or If-None-Match is required: send If-None-Match: * to create the document');
}

/** RFC 2616 §14.24 and §14.26 as §3.1.s4.b5-b12 ask; 412 when the precondition fails. */
function checkPrecondition(existing: StoredDocument | null, { ifMatch, ifNoneMatch }: Precondition): void {
  if (ifMatch !== undefined && (existing === null || !matches(ifMatch, existing.etag))) {
    throw new CodedError('precondition-failed', 'If-Match does not match the current ETag of the document');
  }
  if (ifNoneMatch !== undefined && existing !== null && matches(ifNoneMatch, existing.etag)) {
    throw new CodedError('precondition-failed', 'If-None-Match: the document exists');
  }
}

function matches(header: string, etag: string): boolean {
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag) || tags.includes(etag.slice(1, -1));
}

/** The JSON procedure of §2.2.s7: top-level properties of the posted object replace the stored ones. */
function mergeJson(existing: StoredDocument, posted: { content: Buffer; contentType: string }): { content: Buffer; contentType: string } {
  const base = jsonObject(existing.content, existing.contentType, 'the stored document');
  const update = jsonObject(posted.content, posted.contentType, 'the posted document');
  return { content: Buffer.from(JSON.stringify({ ...base, ...update })), contentType: 'application/json' };
}

/** The document as a JSON object; 400 (§2.2.s8.b1) when it is not `application/json` or not an object. */
export function jsonObject(content: Buffer, contentType: string, what: string): Record<string, unknown> {
  if (!isJsonType(contentType)) throw new CodedError('invalid', `${what} is not application/json: POST merges JSON objects only`);
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch {
    throw new CodedError('invalid', `${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CodedError('invalid', `${what} is not a JSON object`);
  // Merging writes the object again with JSON.stringify, which recurses.
  const [tooDeep] = storableIssues(value, { depthOnly: true });
  if (tooDeep !== undefined) throw new CodedError('invalid', `${what}: ${tooDeep.path || '(document)'}: ${tooDeep.message}`);
  return value as Record<string, unknown>;
}

/** True for `application/json`, with or without parameters. */
export function isJsonType(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}
