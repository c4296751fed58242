/**
 * `learner export`: everything the gateway holds of one learner as one .tar.gz archive,
 * their access request (GDPR Art. 15): statements as NDJSON, every other place as CSV,
 * and a README.txt saying what each file holds. The archive is streamed: one place is in
 * memory at a time, the rows of a single learner.
 * Files follow the places' order; the README, first, lists them with their rows.
 */
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Database } from '../db/connection.js';
import { csvText, type Cell } from '../reports/table.js';
import { countPlaces } from './find.js';
import type { Learner } from './learner.js';
import { placesOf, type Place } from './places.js';
import { TarWriter } from './tar.js';

/** One cell of a database row as CSV text: binary content as base64, dates in ISO 8601, JSON as text. */
function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** The archive's file of a place. */
const fileName = (place: Place) => `${place.name}.${place.format}`;

/** The content of one place's file, or nothing when it holds no row (any more). */
async function placeContent(database: Database, place: Place, learner: Learner): Promise<string | undefined> {
  const { sql, params } = place.where(learner);
  const column = place.format === 'ndjson' ? 'statement' : '*';
  const { rows } = await database.query<Record<string, unknown>>(`SELECT ${column} FROM ${place.table} WHERE ${sql}`, params);
  if (rows.length === 0) return undefined;
  if (place.format === 'ndjson') return rows.map((r) => `${JSON.stringify(r.statement)}\n`).join('');
  const header = Object.keys(rows[0]!);
  return csvText([header, ...rows.map((r) => header.map((k) => cell(r[k])))]);
}

/** The README of the archive: who it is of (by pseudonym), when, and each file with its rows. */
function readme(learner: Learner, at: Date, files: { place: Place; name: string; rows: number }[]): string {
  return [
    `Data held by the xapi-gateway about one ${learner.platform} learner, exported ${at.toISOString()}.`,
    `In statements the learner is the account named ${learner.pseudonym} (a keyed pseudonym of their user id)${learner.ecoUserId === undefined ? '' : ' or their ECO user id'}.`,
    '',
    'Files (.ndjson: one xAPI statement a line; .csv: UTF-8, a header row, one row a line):',
    ...(files.length === 0 ? ['  none: the gateway holds nothing of this learner'] : files.map((f) => `  ${f.name} (${f.rows} rows): ${f.place.about}`)),
    '',
    'A place that holds nothing of the learner has no file. See docs/learner-rights.md.',
    '',
  ].join('\n');
}

/**
 * Writes the archive of a resolved learner to `out` (ended after). The caller resolves
 * first, so that an unknown platform fails before a file is made or headers are sent.
 * @example await exportLearner({ database }, await resolveLearner({ config, database }, 'khan', 'kaid_123'), createWriteStream('learner.tar.gz'));
 */
export async function exportLearner(deps: { database: Database; now?: () => Date }, learner: Learner, out: Writable): Promise<void> {
  const at = (deps.now ?? (() => new Date()))();
  const counts = new Map((await countPlaces(deps.database, learner)).map((c) => [c.name, c.rows]));
  const gzip = createGzip();
  const piping = pipeline(gzip, out);
  try {
    const tar = new TarWriter(gzip, at);
    const held = placesOf(learner.platform).filter((place) => (counts.get(place.name) ?? 0) > 0);
    await tar.add('README.txt', readme(learner, at, held.map((place) => ({ place, name: fileName(place), rows: counts.get(place.name)! }))));
    for (const place of held) {
      const content = await placeContent(deps.database, place, learner);
      if (content !== undefined) await tar.add(fileName(place), content);
    }
    await tar.finish();
  } finally {
    gzip.end();
    await piping;
  }
}
