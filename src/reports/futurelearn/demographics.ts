/**
 * The run's demographics: the self-reported answers FutureLearn exports with the
 * enrolments (kept in `learner_profiles`, docs/futurelearn.md) of the run's joiners, per
 * question. Answers are counted as exported, `Unknown` as a value of its own; joiners
 * with no answer are counted apart. A question no joiner has an answer to is marked as
 * not in the imported data (older exports lack some columns), not shown as zeros.
 */
import type { StoredFutureLearnProfile } from '../../ingest/learner-profiles.js';
import type { ReportTable } from '../table.js';
import { percentOf } from './overview.js';

/** A learner's answers as stored; null where the export had none. */
export type RunLearnerProfile = StoredFutureLearnProfile;

/** The stored answers of some learners (by account name); learners without a profile are left out. */
export type ProfileReader = (learners: readonly string[]) => Promise<RunLearnerProfile[]>;

/** One question's answers among the joiners. */
export interface DemographicTable {
  /** The dataset's column, e.g. `age_range`. */
  field: string;
  label: string;
  /** Whether any joiner has an answer: false, the export lacked the column. */
  inData: boolean;
  /** Joiners with an answer (`Unknown` included). */
  answered: number;
  /** Joiners without one. */
  notAnswered: number;
  /** Each answer: joiners who gave it, and their share of the joiners who answered (one decimal); most frequent first. */
  answers: { value: string; learners: number; percent: number | null }[];
}

// The questions, in the order the enrolments export has them.
const QUESTIONS: { field: string; label: string; of: (p: RunLearnerProfile) => string | null }[] = [
  { field: 'gender', label: 'Gender', of: (p) => p.gender },
  { field: 'country', label: 'Country', of: (p) => p.country },
  { field: 'age_range', label: 'Age range', of: (p) => p.ageRange },
  { field: 'highest_education_level', label: 'Highest education', of: (p) => p.highestEducation },
  { field: 'employment_status', label: 'Employment status', of: (p) => p.employmentStatus },
  { field: 'employment_area', label: 'Employment area', of: (p) => p.employmentArea },
];

/** The answers of `joiners` learners, of whom `profiles` are the stored ones. */
export function demographicsOf(joiners: number, profiles: readonly RunLearnerProfile[]): DemographicTable[] {
  return QUESTIONS.map(({ field, label, of }) => {
    const counts = new Map<string, number>();
    for (const p of profiles) {
      const value = of(p)?.trim();
      if (value !== undefined && value !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const answered = [...counts.values()].reduce((a, b) => a + b, 0);
    const answers = [...counts]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .map(([value, learners]) => ({ value, learners, percent: percentOf(learners, answered) }));
    return { field, label, inData: answered > 0, answered, notAnswered: joiners - answered, answers };
  });
}

/** The demographics as one report table: a row per question and answer. */
export function demographicsTable(tables: readonly DemographicTable[]): ReportTable {
  return {
    name: 'demographics',
    description: "the joiners' self-reported answers (enrolments export), per question and answer; `Unknown` is an answer as exported; a question no joiner answered has no rows",
    columns: [
      { name: 'question', description: 'the export column: gender, country, age_range, highest_education_level, employment_status, employment_area' },
      { name: 'answer', description: 'the answer as exported' },
      { name: 'learners', description: 'joiners who gave it' },
      { name: 'percent', description: 'learners in percent of the joiners who answered the question, one decimal' },
      { name: 'answered', description: 'joiners who answered the question' },
      { name: 'not_answered', description: 'joiners with no answer to the question' },
    ],
    rows: tables.flatMap((t) => t.answers.map((a) => [t.field, a.value, a.learners, a.percent, t.answered, t.notAnswered])),
  };
}
