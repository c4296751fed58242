/**
 * The FutureLearn pipeline shared by `import futurelearn`, `translate futurelearn` and
 * the scheduled fetch: the dataset files of run folders or a data root, each row an
 * import item (statements, ignored, or rejected) through the FutureLearn translator,
 * typed by its dataset. The import also keeps learners' demographics and video figures
 * in their tables (`side`); those rows never become statements.
 */
import type { ImportItem } from '../../lrs/import-run.js';
import { translateFutureLearnRecord } from '../../translators/futurelearn.js';
import type { LinkedEcoUser } from '../../catalog/identity-links.js';
import { pseudonym } from '../../xapi/ids.js';
import { remembered } from '../../xapi/remembered.js';
import { readDatasets } from './dataset-reader.js';
import { listDatasetFiles } from './datasets.js';
import type { FutureLearnRow } from './records.js';
import type { FutureLearnSideTables } from './side-tables.js';

/** How to read datasets. */
export interface FutureLearnItemsOptions {
  /** The account name of a learner id (see `futurelearnActorName`). */
  actorName: (learnerId: string) => string;
  /** Where demographics and video figures go; without it they are only counted. */
  side?: FutureLearnSideTables;
}

/**
 * Each learner's account name: the linked ECO user id, else the keyed pseudonym of the
 * FutureLearn learner id (docs/futurelearn.md).
 * @example const actorName = futurelearnActorName(secret, await loadLinkedEcoUsers(database, 'futurelearn'));
 */
export function futurelearnActorName(secret: string, linked: LinkedEcoUser = () => undefined): (learnerId: string) => string {
  // A run repeats the same learners on every row, and the HMAC is most of a row's translation.
  const pseudonymOf = remembered((learnerId: string) => pseudonym(secret, learnerId), 100_000);
  return (learnerId) => linked(learnerId) ?? pseudonymOf(learnerId);
}

/** One row as an import item, after keeping what goes to the side tables. */
export async function futurelearnItem(row: FutureLearnRow, opts: FutureLearnItemsOptions): Promise<ImportItem> {
  const { at, source } = row;
  if (row.ok === 'skipped') return { at, type: source, ignored: true };
  if (!row.ok) return { at, type: source, rejection: row.rejection };
  const r = row.record;
  // Video figures are course-level, not a learner's activity: kept in their table, counted as ignored.
  if (r.type === 'video-stats') await opts.side?.videoStats(r);
  if (r.type === 'enrolments' && r.role === 'learner' && Object.keys(r.profile).length > 0) await opts.side?.profile(opts.actorName(r.learnerId), r.profile);
  const t = translateFutureLearnRecord(r, { actorName: opts.actorName });
  return 'statements' in t ? { at, type: source, statements: t.statements } : { at, type: source, ignored: true };
}

/**
 * Every row of the datasets under `path` (a run folder, a data root, or one CSV) as an
 * import item, files in path order. Throws `FutureLearnInputError` when the path cannot
 * be read at all.
 * @example await runImport(futurelearnItems('data/uni/climate-change/3 - 2026-01-05 - 2026-02-02', { actorName }), { database, outbox, source: 'futurelearn', input });
 */
export async function* futurelearnItems(path: string, opts: FutureLearnItemsOptions): AsyncGenerator<ImportItem> {
  const files = await listDatasetFiles(path);
  for await (const row of readDatasets(files)) yield await futurelearnItem(row, opts);
  await opts.side?.flush();
}
