/**
 * `npm run bench -- edx-coverage`: the edX translation measured on the realistic corpus
 * of test/fixtures/edx/corpus/ (the figures its test asserts), per event family. The
 * whole report, event types short of a statement included, goes to stderr.
 */
import { edxCorpus } from '../test/fixtures/edx/corpus/corpus.js';
import { formatCoverage, measureCoverage, percent, translateCorpus } from '../test/fixtures/edx/corpus/coverage.js';

/** Coverage of the corpus: learning events with a statement, overall and per family, and the other findings' counts. */
export async function benchEdxCoverage(): Promise<Record<string, unknown>> {
  const corpus = edxCorpus();
  const report = measureCoverage(corpus, await translateCorpus(corpus));
  console.error(formatCoverage(report));
  return {
    lines: report.lines,
    learningEvents: report.learning.total,
    coveragePercent: percent(report.learning),
    coverageOfNamedShapesPercent: percent(report.briefed),
    byFamily: Object.fromEntries(Object.entries(report.byFamily).map(([family, t]) => [family, { events: t.total, statements: t.translated, ignored: t.ignored, rejected: t.rejected, percent: percent(t) }])),
    typesShort: report.shortfalls.length,
    invalidStatements: report.invalid.reduce((n, i) => n + i.count, 0),
    idsSharedByDifferentEvents: report.sharedIds.length,
    statementsWhereNoneBelongs: report.unwanted.reduce((n, u) => n + u.count, 0),
    learnersWithSeveralActors: report.splitLearners.length,
  };
}
