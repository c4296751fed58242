/**
 * Sign-ups per day: per UTC day, the learners who joined the run (`registered`), left it
 * (`unregistered`, FutureLearn's `unenrolled_at`) and fully participated (`completed`
 * of the run), each learner counted once per kind on the day of their earliest statement.
 * Every day from the first to the last such day has a row. Whether the data hold any
 * unenrolment or full participation at all is said apart, so that a page can tell "not
 * in the data" from zero.
 */
import { VERB } from '../../xapi/vocabulary.js';
import { dayOf, daysBetween, spanOf } from './days.js';
import type { RunAccumulator } from './learner-activity.js';
import { learnerOf, objectIdOf, type RunIris } from './run-iris.js';
import type { ReportTable } from '../table.js';

/** One day of the series. */
export interface EnrolmentDay {
  day: string;
  joined: number;
  unenrolled: number;
  fullyParticipated: number;
}

/** The series, and which kinds the imported data hold at all. */
export interface EnrolmentDays {
  days: EnrolmentDay[];
  hasUnenrolments: boolean;
  hasFullParticipation: boolean;
}

type Kind = 'joined' | 'unenrolled' | 'fullyParticipated';

// The run's own statements, by verb: which kind of day each one counts in.
const KINDS: Readonly<Record<string, Kind>> = {
  [VERB.registered.id]: 'joined',
  [VERB.unregistered.id]: 'unenrolled',
  [VERB.completed.id]: 'fullyParticipated',
};

/** Gathers each learner's earliest day of each kind. */
export function dailyEnrolments(iris: RunIris): RunAccumulator<EnrolmentDays> {
  const earliest: Record<Kind, Map<string, string>> = { joined: new Map(), unenrolled: new Map(), fullyParticipated: new Map() };
  return {
    add(s) {
      const kind = KINDS[s.verb.id];
      const day = dayOf(s.timestamp);
      if (kind === undefined || day === undefined || objectIdOf(s) !== iris.run) return;
      const learner = learnerOf(s);
      const known = earliest[kind].get(learner);
      if (known === undefined || day < known) earliest[kind].set(learner, day);
    },
    result() {
      const counts = new Map<string, EnrolmentDay>();
      for (const kind of Object.keys(earliest) as Kind[]) {
        for (const day of earliest[kind].values()) {
          const row = counts.get(day) ?? { day, joined: 0, unenrolled: 0, fullyParticipated: 0 };
          counts.set(day, row);
          row[kind] += 1;
        }
      }
      const span = spanOf(counts.keys());
      const days = span === undefined ? [] : daysBetween(span.first, span.last).map((day) => counts.get(day) ?? { day, joined: 0, unenrolled: 0, fullyParticipated: 0 });
      return { days, hasUnenrolments: earliest.unenrolled.size > 0, hasFullParticipation: earliest.fullyParticipated.size > 0 };
    },
  };
}

/** The series as a report table; a kind the data do not hold is left empty, not zero. */
export function enrolmentDaysTable(e: EnrolmentDays): ReportTable {
  return {
    name: 'signups_per_day',
    description: 'per UTC day from the first to the last: learners who joined, unenrolled and fully participated (each learner once per kind, on their earliest day); a column is empty when the imported data hold none of its kind',
    columns: [
      { name: 'day', description: 'the day, YYYY-MM-DD (UTC)' },
      { name: 'joined', description: 'learners who enrolled that day (enrolled_at)' },
      { name: 'unenrolled', description: 'learners who unenrolled that day (unenrolled_at); empty when the data have no unenrolment' },
      { name: 'fully_participated', description: 'learners who fully participated that day (fully_participated_at); empty when the data have none' },
    ],
    rows: e.days.map((d) => [d.day, d.joined, e.hasUnenrolments ? d.unenrolled : null, e.hasFullParticipation ? d.fullyParticipated : null]),
  };
}
