/**
 * The rows of FutureLearn dataset files as records at `file:line`. The header decides:
 * a required column missing is one rejection for the whole file (at `file:1`, naming
 * the column) and no row of it is read, while the other files go on. Each row then has
 * exactly the header's cells or is rejected. Datasets that are not used
 * (`archetype-survey-responses`, `weekly-sentiment-survey-responses`, `team-members`,
 * and any FutureLearn adds) are only counted, row by row, as ignored: their cells never
 * leave this file. A row whose learner_id is empty is a learner FutureLearn erased: it
 * is counted as such (`erasedByPlatform`), not rejected.
 */
import { readCsvRows, type CsvDialect } from '../csv-rows.js';
import { DATASET_SPECS, missingColumns, questionPlace, type DatasetSpec } from './dataset-specs.js';
import type { DatasetFile } from './datasets.js';
import { FieldError } from '../../xapi/fields.js';
import { futurelearnFields } from './fields.js';
import type { FutureLearnRow } from './records.js';

// FutureLearn writes RFC 4180: a backslash in a comment is text, not an escape.
const RFC_4180: CsvDialect = { backslashEscapes: false };

/**
 * Streams the rows of `files` in order: records, rejections and skipped rows, each
 * counted under its dataset.
 * @example for await (const row of readDatasets(await listDatasetFiles(path))) ...
 */
export async function* readDatasets(files: readonly DatasetFile[]): AsyncGenerator<FutureLearnRow> {
  for (const file of files) {
    const spec: DatasetSpec | undefined = Object.hasOwn(DATASET_SPECS, file.dataset) ? DATASET_SPECS[file.dataset as keyof typeof DATASET_SPECS] : undefined;
    yield* spec === undefined ? countUnused(file) : readDataset(file, spec);
  }
}

async function* readDataset(file: DatasetFile, spec: DatasetSpec): AsyncGenerator<FutureLearnRow> {
  const source = file.dataset;
  const run = file.run;
  if (run === undefined) {
    yield { ok: false, at: `${file.at}:1`, source, rejection: { code: 'missing_field', field: 'run', detail: 'the file is neither in a "<run> - <start> - <end>" folder nor named <course>-<run>_<dataset>.csv; the file is not read' } };
    return;
  }
  let columns: Map<string, number> | undefined;
  let header: string[] = [];
  for await (const row of readCsvRows(file, RFC_4180)) {
    const at = `${file.at}:${row.line ?? '?'}`;
    if (!row.ok) {
      const field = row.column === undefined ? undefined : header[row.column];
      yield { ok: false, at, source, rejection: { code: 'unreadable', ...(field === undefined ? {} : { field }), detail: row.detail } };
      continue;
    }
    if (columns === undefined) {
      header = row.cells.map((c) => c.trim().toLowerCase());
      columns = new Map(header.map((c, i) => [c, i]));
      const missing = missingColumns(spec.required, new Set(header));
      if (missing.length > 0) {
        yield { ok: false, at, source, rejection: { code: 'missing_field', field: missing.join('; '), detail: `the header of ${source} lacks it; the file is not read` } };
        return;
      }
      continue;
    }
    if (row.cells.length !== header.length) {
      yield { ok: false, at, source, rejection: { code: 'unreadable', detail: `${row.cells.length} cells where the header has ${header.length}` } };
      continue;
    }
    // FutureLearn empties learner_id of the learners whose data it erased: no error of the file.
    const learner = columns.get('learner_id');
    if (learner !== undefined && row.cells[learner]!.trim() === '') {
      yield { ok: 'erased', at, source, run, ...erasedQuestion(source, columns, row.cells) };
      continue;
    }
    try {
      yield { ok: true, at, source, record: spec.read(futurelearnFields(columns, row.cells), run) };
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      const learnerId = learner === undefined ? undefined : row.cells[learner]!.trim();
      yield { ok: false, at, source, rejection: err.rejection, ...(learnerId === undefined ? {} : { learnerId }) };
    }
  }
}

/** The data rows of a dataset that is not used, as skipped rows; a row that cannot be parsed is a rejection. */
async function* countUnused(file: DatasetFile): AsyncGenerator<FutureLearnRow> {
  let header = true;
  for await (const row of readCsvRows(file, RFC_4180)) {
    const at = `${file.at}:${row.line ?? '?'}`;
    if (row.ok && header) header = false;
    else if (row.ok) yield { ok: 'skipped', at, source: file.dataset };
    // Survey answers are not quoted back in the reason.
    else yield { ok: false, at, source: file.dataset, rejection: { code: 'unreadable', detail: row.detail } };
  }
}

/** The question of an erased learner's answer, where its cells give one. */
function erasedQuestion(source: string, columns: Map<string, number>, cells: readonly string[]): { question?: string } {
  if (source !== 'question-response') return {};
  try {
    const q = questionPlace(futurelearnFields(columns, cells));
    return { question: `${q.week}.${q.step}.${q.question}` };
  } catch {
    return {};
  }
}
