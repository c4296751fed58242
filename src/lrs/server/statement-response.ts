/**
 * The body of a GET /statements response: the statements in the requested format, as
 * `application/json`, or with `attachments=true` as `multipart/mixed` whose first part is
 * that JSON and whose further parts are the stored data of the statements' attachments,
 * once per hash (Communication §2.1.3.s2.b6, b7, §1.5.2). The common request (`exact`, no
 * attachments) is written from the stored JSON texts without parsing them.
 */
import type { Database } from '../../db/connection.js';
import type { ActivityDefinition, Attachment, Statement } from '../../xapi/types.js';
import { activitiesOf, loadDefinitions } from './activity-definitions.js';
import { formatMultipart, newBoundary } from './attachment-multipart.js';
import { loadAttachments } from './attachment-store.js';
import type { ResponseShape } from './statement-cursor.js';
import { formatStatement } from './statement-format.js';
import { parseAcceptLanguage } from './statement-language.js';

/** A response body and its Content-Type. */
export interface StatementsBody {
  contentType: string;
  body: string | Buffer;
}

/**
 * The response to a GET of `jsons` (stored statements as JSON text): `wrap` writes the
 * JSON document around the (re)formatted texts, one statement or a StatementResult.
 * @example await statementsBody(database, [json], { format: 'ids', attachments: false }, undefined, ([s]) => s!)
 */
export async function statementsBody(
  database: Database,
  jsons: readonly string[],
  shape: ResponseShape,
  acceptLanguage: string | undefined,
  wrap: (jsons: readonly string[]) => string,
): Promise<StatementsBody> {
  if (shape.format === 'exact' && !shape.attachments) return { contentType: 'application/json', body: wrap(jsons) };
  const statements = jsons.map((json) => JSON.parse(json) as Statement);
  const json = shape.format === 'exact' ? wrap(jsons) : wrap(await reformat(database, statements, shape, acceptLanguage));
  if (!shape.attachments) return { contentType: 'application/json', body: json };
  const attachments = await loadAttachments(database, [...new Set(statements.flatMap(attachmentHashes))]);
  const boundary = newBoundary();
  const parts = [
    { headers: { 'Content-Type': 'application/json' }, body: json },
    ...attachments.map((a) => ({
      headers: { 'Content-Type': a.contentType, 'Content-Transfer-Encoding': 'binary', 'X-Experience-API-Hash': a.sha2 },
      body: a.content,
    })),
  ];
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: formatMultipart(parts, boundary) };
}

/** The statements in the `ids` or `canonical` format, as JSON texts. */
async function reformat(database: Database, statements: readonly Statement[], shape: ResponseShape, acceptLanguage: string | undefined): Promise<string[]> {
  let definitions = new Map<string, ActivityDefinition>();
  if (shape.format === 'canonical') {
    definitions = await loadDefinitions(database, statements.flatMap((s) => [...activitiesOf(s)].map((a) => a.id)));
  }
  const ctx = { format: shape.format, languages: parseAcceptLanguage(acceptLanguage), definitions };
  return statements.map((s) => JSON.stringify(formatStatement(s, ctx)));
}

/** The lower-case hashes of a statement's attachments and its SubStatement's. */
function attachmentHashes(statement: Statement): string[] {
  const own: Attachment[] = statement.attachments ?? [];
  const nested: Attachment[] = statement.object.objectType === 'SubStatement' ? (statement.object.attachments ?? []) : [];
  return [...own, ...nested].map((a) => a.sha2.toLowerCase());
}
