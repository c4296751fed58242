/**
 * The IRIs of FutureLearn course runs and their parts. Every FutureLearn statement names
 * its activities through these, so the datasets and the reports agree on one id per thing.
 */
import type { RunKey } from '../../ingest/futurelearn/records.js';

/** The actor's account `homePage` and the root of every activity IRI. */
export const FUTURELEARN_HOME = 'https://www.futurelearn.com';

/** The `context.platform` of every FutureLearn statement. */
export const FUTURELEARN_PLATFORM = 'FutureLearn';

export type { RunKey };

const enc = encodeURIComponent;

/** Activity IRIs of one course run. */
export const futurelearnIri = {
  run: (r: RunKey) => `${FUTURELEARN_HOME}/courses/${enc(r.course)}/${enc(r.run)}`,
  week: (r: RunKey, week: number) => `${futurelearnIri.run(r)}/weeks/${week}`,
  /** A step by its position, `week.step` (the datasets never give the step's own id). */
  step: (r: RunKey, week: number, step: number) => `${futurelearnIri.run(r)}/steps/${week}.${step}`,
  question: (r: RunKey, week: number, step: number, question: number) => `${futurelearnIri.step(r, week, step)}/questions/${question}`,
  comment: (r: RunKey, id: string) => `${futurelearnIri.run(r)}/comments/${enc(id)}`,
  assignment: (r: RunKey, id: string) => `${futurelearnIri.run(r)}/peer-review/assignments/${enc(id)}`,
  statementOfParticipation: (r: RunKey) => `${futurelearnIri.run(r)}/statement-of-participation`,
};
