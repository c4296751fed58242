/**
 * `import edx` and `translate edx`: tracking logs (`.log`, `.log.gz`, folders) through
 * the edX translator, into the outbox or to standard output.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadLinkedEcoUsers } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { EdxSetupError, edxLogItems, edxTranslateOptions, type EdxWindow } from '../ingest/edx/pipeline.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import { runImport, type ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { validateBuiltStatement } from '../xapi/validate-built.js';
import { startProgress } from './progress.js';
import { translateToNdjson } from './translate-run.js';

/** What to read: files or folders, a day range, and courses (else EDX_COURSE_IDS). */
export interface EdxRunInput extends EdxWindow {
  paths: string[];
  courses?: string[];
}

function progressDetail(s: RunSummary): Record<string, number> {
  return { translated: s.translated, ignored: s.ignored, rejected: s.rejected };
}

/** Imports tracking logs into the outbox and returns the run. */
export async function importEdx(input: EdxRunInput, deps: { config: Config; database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  const secret = await pseudonymSecret(deps.config, deps.database);
  const opts = edxTranslateOptions(deps.config, secret, input.courses, await loadLinkedEcoUsers(deps.database, 'edx'));
  const progress = startProgress('events read', deps.logger);
  try {
    return await runImport(edxLogItems(input.paths, opts, { from: input.from, to: input.to }), {
      database: deps.database,
      outbox: deps.outbox,
      source: 'edx',
      input: input.paths.join(' '),
      onProgress: (s) => progress.update(s.read, progressDetail(s)),
      validate: validateBuiltStatement,
    });
  } finally {
    progress.stop();
  }
}

/** Translates tracking logs to NDJSON statements on `out`, touching no database; returns the summary. */
export async function translateEdx(input: EdxRunInput, deps: { config: Config; logger: Logger; out: Writable }): Promise<RunSummary> {
  if (deps.config.pseudonymSecret === undefined) {
    throw new EdxSetupError('PSEUDONYM_SECRET is not set: translate touches no database, so the pseudonym key must be given');
  }
  const opts = edxTranslateOptions(deps.config, deps.config.pseudonymSecret, input.courses);
  const progress = startProgress('events read', deps.logger);
  try {
    return await translateToNdjson(edxLogItems(input.paths, opts, { from: input.from, to: input.to }), deps.out, (s) => progress.update(s.read, progressDetail(s)), validateBuiltStatement);
  } finally {
    progress.stop();
  }
}
