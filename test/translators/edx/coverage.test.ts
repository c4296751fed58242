/**
 * The edX translation measured on a realistic corpus (test/fixtures/edx/corpus/): five
 * course runs from 2013 to 2024, each line known to be a learning event or not by the
 * corpus, independently of the translator's rules. Issue 17's target: at least 98% of
 * the learning events give a statement, every statement passes tin-can-json-schema as
 * published, and no two different events share a statement id. The figures and the
 * event types that fall short are printed on every run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { edxCorpus, type CorpusLine } from '../../fixtures/edx/corpus/corpus.js';
import { findings, formatCoverage, measureCoverage, percent, translateCorpus, type CoverageReport } from '../../fixtures/edx/corpus/coverage.js';

const TARGET = 98;

describe('the edX translation of a realistic tracking-log corpus', () => {
  let corpus: CorpusLine[];
  let report: CoverageReport;
  let found: ReturnType<typeof findings>;
  const seeReport = 'the corpus report printed above lists the event types short of a statement';

  beforeAll(async () => {
    corpus = edxCorpus();
    report = measureCoverage(corpus, await translateCorpus(corpus));
    found = findings(report);
    console.log(formatCoverage(report));
  });

  it('is the same corpus on every run, of a few thousand lines with every family', () => {
    expect(edxCorpus().map((l) => l.text)).toEqual(corpus.map((l) => l.text));
    expect(corpus.length).toBeGreaterThan(3000);
    const families = new Set(corpus.filter((l) => l.class === 'learning').map((l) => l.family));
    expect([...families].sort()).toEqual(['bookmarks', 'completion', 'dnd', 'enrollment', 'exams', 'forum', 'grades', 'navigation', 'ora', 'pages', 'poll', 'problems', 'textbook', 'video']);
  });

  it(`gives a statement for at least ${TARGET}% of the learning events in the shapes the issue names`, () => {
    expect(percent(report.briefed), seeReport).toBeGreaterThanOrEqual(TARGET);
  });

  it(`gives a statement for at least ${TARGET}% of all learning events, real shapes the issue does not name included`, () => {
    expect(percent(report.learning), seeReport).toBeGreaterThanOrEqual(TARGET);
  });

  it('gives only statements that tin-can-json-schema, compiled as published, accepts', () => {
    expect(found.invalid).toEqual([]);
  });

  it('never gives one statement id to two different events, and the same ids to copies of one event', () => {
    expect(found.sharedIds).toEqual([]);
    expect(found.unstableCopies).toEqual([]);
  });

  it('gives no statement for browser echoes, anonymous visitors, Studio, the preview LMS and requests outside learning', () => {
    expect(found.unwanted).toEqual([]);
  });

  it('counts browser echoes as ignored, never as rejected, and rejects every malformed line', () => {
    expect(found.echoRejected).toEqual([]);
    expect(found.malformedAccepted).toEqual([]);
  });

  it('gives each learner one actor, shared with no other learner, whichever field names them', () => {
    expect(found.splitLearners).toEqual([]);
    expect(found.sharedActors).toEqual([]);
  });
});
