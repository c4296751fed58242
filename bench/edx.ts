/**
 * edX benchmarks on a generated log of N realistic events (one gzip file): reading and
 * `JSON.parse` of the lines alone (the floor), `translate` (read, normalize, translate,
 * validate, write NDJSON) on one core, and `import` into the outbox on PostgreSQL; each
 * with its peak memory. Then the ratios to the floor (issue 17: at most 2.0) of
 * `translate` and of the import's translation (all but the database), on the clean mix
 * and on a messier one with real logs' share of ignored requests, each in CPU seconds
 * and the best of three alternating runs, since a shared machine's noise only ever adds time;
 * beside them the ratio of the least work any translation must do (edx-lean.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { importEdx, translateEdx } from '../src/pipelines/edx.js';
import { loadConfig } from '../src/config/index.js';
import { openDatabase } from '../src/db/connection.js';
import { edxLogItems, edxTranslateOptions } from '../src/pipelines/edx.js';
import { readLogLines } from '../src/ingest/edx/log-lines.js';
import { firstInvalid } from '../src/lrs/import-run.js';
import { statementText } from '../src/xapi/statement-text.js';
import { validateBuiltStatement } from '../src/xapi/validate-built.js';
import { Outbox } from '../src/lrs/outbox.js';
import { createPostgresDatabase } from '../test/support/databases.js';
import { leanTranslation } from './edx-lean.js';
import { messyEdxEvent, writeEdxLog } from './edx-log.js';
import { BENCH_DATABASE_URL } from './lrs-process.js';
import { measured } from './measured.js';

const silent = pino({ level: 'silent' });
const config = loadConfig({ ...process.env, PSEUDONYM_SECRET: 'bench-pseudonym-secret-0123456789', EDX_LMS_URL: 'https://lms.example.org/' });

/** Runs the edX benchmarks on `count` events and returns their figures. */
export async function benchEdx(count: number): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'xgw-bench-edx-'));
  const log = join(dir, 'OrgX-edx-events-2026-03-01.log.gz');
  try {
    const bytes = await writeEdxLog(log, count);
    const results: Record<string, unknown> = { events: count, logMb: Math.round(bytes / 1048576) };
    console.error(`generated ${count} events, ${results.logMb} MB uncompressed`);

    const parse = await measured(async () => {
      let n = 0;
      for await (const line of readLogLines([log])) if (line.ok && JSON.parse(line.line)) n++;
      return n;
    });
    results.readAndParsePerSecond = Math.round(parse.value / parse.seconds);
    console.error(`read + JSON.parse: ${results.readAndParsePerSecond} lines/s`);

    const discard = new Writable({ write: (_chunk, _enc, done) => done() });
    const translate = await measured(() => translateEdx({ paths: [log] }, { config, logger: silent, out: discard }));
    results.translatePerSecond = Math.round(translate.value.read / translate.seconds);
    results.translatePeakRssMb = translate.peakRssMb;
    results.translateSummary = { ...translate.value, errors: undefined };
    console.error(`translate: ${results.translatePerSecond} events/s, peak RSS ${translate.peakRssMb} MB`);

    const created = await createPostgresDatabase(BENCH_DATABASE_URL);
    const database = await openDatabase({ url: created.url });
    try {
      const outbox = new Outbox(database, { baseMs: 1000, maxMs: 60_000, maxAttempts: 50 });
      const imported = await measured(() => importEdx({ paths: [log] }, { config, database, outbox, logger: silent }));
      results.importPostgresPerSecond = Math.round(imported.value.summary.read / imported.seconds);
      results.importPeakRssMb = imported.peakRssMb;
      console.error(`import into the PostgreSQL outbox: ${results.importPostgresPerSecond} events/s, peak RSS ${imported.peakRssMb} MB`);
    } finally {
      await database.close();
      await created.drop();
    }
    results.ratios = { clean: await ratios(log) };
    const messy = join(dir, 'OrgX-edx-events-2026-03-02.log.gz');
    await writeEdxLog(messy, count, messyEdxEvent);
    (results.ratios as Record<string, unknown>).messy = await ratios(messy);
    console.error(`ratios to read + JSON.parse: ${JSON.stringify(results.ratios)}`);
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * CPU seconds of the floor, of `translate edx` and of the import's translation on `log`:
 * the best of 3 each. CPU time rather than wall time, since the machine is shared: other
 * processes delay a step without adding to its CPU time.
 */
async function ratios(log: string): Promise<{ translate: number; importTranslation: number; leanReference: number }> {
  const discard = () => new Writable({ write: (_chunk, _enc, done) => done() });
  const opts = edxTranslateOptions(config, config.pseudonymSecret!);
  const steps: Record<'parse' | 'translate' | 'importTranslation' | 'leanReference', () => Promise<unknown>> = {
    parse: async () => {
      for await (const line of readLogLines([log])) if (line.ok) JSON.parse(line.line);
    },
    translate: async () => void (await translateEdx({ paths: [log] }, { config, logger: silent, out: discard() })),
    // What runImport does before the database: translate, validate, and write each statement as
    // COPY text (the outbox's statementText, with its backslashes doubled).
    importTranslation: async () => {
      let bytes = 0;
      for await (const item of edxLogItems([log], opts)) {
        if (!('statements' in item) || firstInvalid(item.statements, validateBuiltStatement) !== undefined) continue;
        for (const s of item.statements) bytes += statementText(s).replaceAll('\\', '\\\\').length;
      }
      return bytes;
    },
    // The least any translation must do per line (edx-lean.ts): the bound the others are read against.
    leanReference: () => leanTranslation(log, config.pseudonymSecret!),
  };
  const best = { parse: Infinity, translate: Infinity, importTranslation: Infinity, leanReference: Infinity };
  for (let round = 0; round < 3; round++) {
    for (const name of ['parse', 'translate', 'importTranslation', 'leanReference'] as const) best[name] = Math.min(best[name], (await measured(steps[name])).cpuSeconds);
  }
  const ratio = (s: number) => Number((s / best.parse).toFixed(2));
  return { translate: ratio(best.translate), importTranslation: ratio(best.importTranslation), leanReference: ratio(best.leanReference) };
}
