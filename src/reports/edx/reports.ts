/**
 * The course-run reports researchers had from the ChalmersX toolkit, computed from
 * statements instead of raw logs: each report is a table (columns with their meaning)
 * and an accumulator fed every statement of the course once, so the whole set costs one
 * read of the course's statements. Learners appear by their account name (a pseudonym,
 * or a linked ECO id), never by name.
 */
import type { Statement } from '../../xapi/types.js';
import { EXT, VERB } from '../../xapi/vocabulary.js';
import type { Cell, Column } from '../table.js';

/** Accumulates statements into rows. */
export interface Accumulator {
  add(s: Statement): void;
  rows(): Cell[][];
  /** The columns, where they depend on the data (one per survey question part). */
  columns?(): Column[];
}

/** What a report may be set with. */
export interface ReportOptions {
  /** Problems whose display name matches are pre- or post-course survey questions. */
  surveyPatterns: { pre: RegExp; post: RegExp };
  /** The course's blocks in course order (from the imported structure), for names and order. */
  structure?: readonly { blockId: string; name: string | null }[];
}

/** The report options from the settings (EDX_SURVEY_PRE_PATTERN, EDX_SURVEY_POST_PATTERN). */
export function reportOptions(settings: { edxSurveyPrePattern: RegExp; edxSurveyPostPattern: RegExp }): ReportOptions {
  return { surveyPatterns: { pre: settings.edxSurveyPrePattern, post: settings.edxSurveyPostPattern } };
}

/** A report: its table and how to compute it. */
export interface ReportDefinition {
  description: string;
  columns: Column[];
  create(options: ReportOptions): Accumulator;
  /** The column holding a block's activity id: with a course structure, its name follows it and rows take course order. */
  blockColumn?: string;
}

const learnerOf = (s: Statement) => (s.actor as { account?: { name?: string } }).account?.name ?? '';
const objectOf = (s: Statement) => (s.object as { id?: string }).id ?? '';
const ext = (s: Statement, key: string): unknown => s.result?.extensions?.[key] ?? s.context?.extensions?.[key];
const isVideo = (s: Statement) => (s.context?.contextActivities?.category ?? []).some((c) => c.id === 'https://w3id.org/xapi/video');
const shortVerb = (s: Statement) => s.verb.display?.['en-US'] ?? s.verb.id.slice(s.verb.id.lastIndexOf('/') + 1);

/** Counts per key and per action, as rows of key columns followed by one column per action. */
function countTable(actions: string[], keyOf: (s: Statement) => string[] | undefined, actionOf: (s: Statement) => string | undefined): () => Accumulator {
  return () => {
    const counts = new Map<string, { key: string[]; n: Record<string, number> }>();
    return {
      add(s) {
        const key = keyOf(s);
        const action = actionOf(s);
        if (key === undefined || action === undefined || !actions.includes(action)) return;
        const id = key.join('\u0000');
        const entry = counts.get(id) ?? { key, n: {} };
        counts.set(id, entry);
        entry.n[action] = (entry.n[action] ?? 0) + 1;
      },
      rows: () => [...counts.values()].sort((a, b) => (a.key.join() < b.key.join() ? -1 : 1)).map((e) => [...e.key, ...actions.map((a) => e.n[a] ?? 0)]),
    };
  };
}

/** The learner column every per-learner table starts with. */
const LEARNER: Column = { name: 'learner', description: 'pseudonym of the learner' };

const VIDEO_ACTIONS = ['initialized', 'played', 'paused', 'seeked', 'completed', 'terminated', 'interacted'];
const videoColumns = VIDEO_ACTIONS.map((a) => ({ name: a, description: `number of "${a}" video statements` }));
const SEGMENT_SECONDS = 5;

const FORUM_KINDS: Record<string, string> = { [VERB.posted.id]: 'threads', [VERB.replied.id]: 'replies', [VERB.votedUp.id]: 'votes', [VERB.viewed.id]: 'views' };

/** Per learner and problem: answers, the last outcome and when. */
function problemDetail(): Accumulator {
  const last = new Map<string, { learner: string; problem: string; attempts: number; success: boolean | null; grade: number | null; max: number | null; time: string }>();
  return {
    add(s) {
      if (s.verb.id !== VERB.answered.id) return;
      const key = `${learnerOf(s)}\u0000${objectOf(s)}`;
      const entry = last.get(key) ?? { learner: learnerOf(s), problem: objectOf(s), attempts: 0, success: null, grade: null, max: null, time: '' };
      last.set(key, entry);
      entry.attempts += 1;
      const time = s.timestamp ?? '';
      if (time >= entry.time) {
        entry.time = time;
        entry.success = s.result?.success ?? null;
        entry.grade = s.result?.score?.raw ?? null;
        entry.max = s.result?.score?.max ?? null;
      }
    },
    rows: () => [...last.values()].sort((a, b) => (a.learner + a.problem < b.learner + b.problem ? -1 : 1)).map((e) => [e.learner, e.problem, e.attempts, e.success, e.grade, e.max, e.time]),
  };
}

/** Per learner: answers, problems tried and solved, hints and answers shown. */
function problemActivity(): Accumulator {
  const detail = problemDetail();
  const asked = new Map<string, number>();
  return {
    add(s) {
      detail.add(s);
      if (s.verb.id === VERB.asked.id) asked.set(learnerOf(s), (asked.get(learnerOf(s)) ?? 0) + 1);
    },
    rows() {
      const byLearner = new Map<string, [string, number, number, number, number]>();
      for (const [learner, , attempts, success] of detail.rows() as [string, string, number, boolean | null][]) {
        const row = byLearner.get(learner) ?? [learner, 0, 0, 0, 0];
        byLearner.set(learner, row);
        row[1] += attempts;
        row[2] += 1;
        if (success === true) row[3] += 1;
      }
      for (const [learner, n] of asked) {
        const row = byLearner.get(learner) ?? [learner, 0, 0, 0, 0];
        byLearner.set(learner, row);
        row[4] = n;
      }
      return [...byLearner.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    },
  };
}

/** Every forum post once (from logs or the package dump): who posted it, in which thread, answering what. */
function forumPosts(): Accumulator {
  const posts = new Map<string, Cell[]>();
  return {
    add(s) {
      if (s.verb.id !== VERB.posted.id && s.verb.id !== VERB.replied.id) return;
      // A post known from its request (2013-2015 logs, source type a URL path) has no id of its own.
      if (String(s.context?.extensions?.[EXT.sourceType] ?? '').startsWith('/')) return;
      const id = objectOf(s);
      if (posts.has(id)) return;
      const parents = (s.context?.contextActivities?.parent ?? []).map((p) => p.id).filter((p) => p.includes('/discussion/post/'));
      const thread = s.verb.id === VERB.posted.id ? id : (parents[0] ?? null);
      const responseTo = s.verb.id === VERB.posted.id ? null : (parents[1] ?? parents[0] ?? null);
      posts.set(id, [id, learnerOf(s), thread, responseTo, s.timestamp ?? '']);
    },
    rows: () => [...posts.values()].sort((a, b) => (String(a[4]) < String(b[4]) ? -1 : 1)),
  };
}

/** Per day and in total: learners enrolled, active, completed, certified. */
function summary(): Accumulator {
  const days = new Map<string, { enrolled: Set<string>; active: Set<string>; completed: Set<string>; certified: Set<string> }>();
  const day = (d: string) => {
    const entry = days.get(d) ?? { enrolled: new Set<string>(), active: new Set<string>(), completed: new Set<string>(), certified: new Set<string>() };
    days.set(d, entry);
    return entry;
  };
  return {
    add(s) {
      const learner = learnerOf(s);
      const entry = day((s.timestamp ?? '').slice(0, 10));
      const courseLevel = !(s.context?.contextActivities?.parent ?? []).some((p) => p.id.includes('/courses/') || p.id.startsWith('oai:'));
      if (s.verb.id === VERB.registered.id) entry.enrolled.add(learner);
      else entry.active.add(learner);
      if (courseLevel && (s.verb.id === VERB.completed.id || (s.verb.id === VERB.passed.id && s.result?.completion === true))) entry.completed.add(learner);
      if (courseLevel && s.verb.id === VERB.passed.id) entry.certified.add(learner);
    },
    rows() {
      const sorted = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      const total = { enrolled: new Set<string>(), active: new Set<string>(), completed: new Set<string>(), certified: new Set<string>() };
      const rows: Cell[][] = sorted.map(([d, e]) => {
        for (const k of ['enrolled', 'active', 'completed', 'certified'] as const) for (const l of e[k]) total[k].add(l);
        return [d, e.enrolled.size, e.active.size, e.completed.size, e.certified.size];
      });
      return [...rows, ['total', total.enrolled.size, total.active.size, total.completed.size, total.certified.size]];
    },
  };
}

const TEXTBOOK_ACTIONS: Record<string, string> = { [VERB.viewed.id]: 'pages_viewed', [VERB.searched.id]: 'searches', [VERB.interacted.id]: 'interactions' };
/** A textbook statement: its object, or (for a page read) a parent, is a book, chapter or PDF document. */
const isTextbook = (s: Statement) => {
  const bookish = (type: string | undefined) => type !== undefined && /\/(?:chapter|book|document)$/.test(type);
  const objectType = (s.object as { definition?: { type?: string } }).definition?.type;
  return bookish(objectType) || (s.context?.contextActivities?.parent ?? []).some((p) => bookish(p.definition?.type));
};

/**
 * The last answers of each learner to the pre- and post-course survey questions: one row
 * per learner and survey, one column per question part (`<problem>_<part>`).
 */
function surveyAnswers(options: ReportOptions): Accumulator {
  const answers = new Map<string, { learner: string; survey: string; time: string; parts: Map<string, { time: string; parts: string[] }> }>();
  const partsOf = new Map<string, number>();
  return {
    add(s) {
      if (s.verb.id !== VERB.answered.id) return;
      const name = Object.values((s.object as { definition?: { name?: Record<string, string> } }).definition?.name ?? {})[0] ?? '';
      const survey = options.surveyPatterns.pre.test(name) ? 'pre' : options.surveyPatterns.post.test(name) ? 'post' : undefined;
      if (survey === undefined) return;
      const id = objectOf(s);
      const problem = id.slice(id.lastIndexOf('@') + 1);
      const key = `${learnerOf(s)}\u0000${survey}`;
      const entry = answers.get(key) ?? { learner: learnerOf(s), survey, time: '', parts: new Map<string, { time: string; parts: string[] }>() };
      answers.set(key, entry);
      const parts = (s.result?.response ?? '').split('[,]');
      const time = s.timestamp ?? '';
      // The last answer counts, whatever order the LRS stored them in.
      if ((entry.parts.get(problem)?.time ?? '') <= time) entry.parts.set(problem, { time, parts });
      if (time > entry.time) entry.time = time;
      partsOf.set(problem, Math.max(partsOf.get(problem) ?? 0, parts.length));
    },
    columns() {
      const problems = [...partsOf.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      return [
        LEARNER,
        { name: 'survey', description: 'pre or post' },
        { name: 'time', description: 'time of the last answer (UTC)' },
        ...problems.flatMap(([p, n]) => Array.from({ length: n }, (_, i) => ({ name: `${p}_${i + 1}`, description: `answer to part ${i + 1} of problem ${p}` }))),
      ];
    },
    rows() {
      const problems = [...partsOf.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      return [...answers.values()]
        .sort((a, b) => (a.learner + a.survey < b.learner + b.survey ? -1 : 1))
        .map((e) => [e.learner, e.survey, e.time, ...problems.flatMap(([p, n]) => Array.from({ length: n }, (_, i) => e.parts.get(p)?.parts[i] ?? null))]);
    },
  };
}

/** The heat map counts positions, not statements. */
function heatmap(): Accumulator {
  const cells = new Map<string, [string, number, number, number, number, number]>();
  const bump = (video: string, seconds: unknown, column: 2 | 3 | 4 | 5) => {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return;
    const start = Math.floor(seconds / SEGMENT_SECONDS) * SEGMENT_SECONDS;
    const key = `${video}\u0000${start}`;
    const row = cells.get(key) ?? [video, start, 0, 0, 0, 0];
    cells.set(key, row);
    row[column] += 1;
  };
  return {
    add(s) {
      if (!isVideo(s)) return;
      const video = objectOf(s);
      if (s.verb.id === VERB.played.id) bump(video, ext(s, EXT.videoTime), 2);
      else if (s.verb.id === VERB.paused.id) bump(video, ext(s, EXT.videoTime), 3);
      else if (s.verb.id === VERB.seeked.id) {
        bump(video, ext(s, EXT.videoTimeFrom), 4);
        bump(video, ext(s, EXT.videoTimeTo), 5);
      }
    },
    rows: () => [...cells.values()].sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1)),
  };
}

/** Every report, by name. */
export const EDX_REPORTS: Record<string, ReportDefinition> = {
  video_activity: {
    description: 'per learner, a count per video action',
    columns: [LEARNER, ...videoColumns],
    create: countTable(VIDEO_ACTIONS, (s) => (isVideo(s) ? [learnerOf(s)] : undefined), shortVerb),
  },
  video_activity_by_video: {
    description: 'per learner and video, a count per video action',
    columns: [LEARNER, { name: 'video', description: 'activity id of the video' }, ...videoColumns],
    create: countTable(VIDEO_ACTIONS, (s) => (isVideo(s) ? [learnerOf(s), objectOf(s)] : undefined), shortVerb),
    blockColumn: 'video',
  },
  video_heatmap: {
    description: `per video and ${SEGMENT_SECONDS}-second segment: plays, pauses, seeks from and seeks to`,
    columns: [
      { name: 'video', description: 'activity id of the video' },
      { name: 'segment_start', description: `first second of the segment (segments of ${SEGMENT_SECONDS} s)` },
      { name: 'plays', description: 'plays started in the segment' },
      { name: 'pauses', description: 'pauses in the segment' },
      { name: 'seeks_from', description: 'seeks that left the segment' },
      { name: 'seeks_to', description: 'seeks that landed in the segment' },
    ],
    create: heatmap,
    blockColumn: 'video',
  },
  forum_activity: {
    description: 'per learner, forum statements by kind',
    columns: [LEARNER, ...Object.values(FORUM_KINDS).map((k) => ({ name: k, description: `number of forum ${k}` }))],
    create: countTable(Object.values(FORUM_KINDS), (s) => (objectOf(s).includes('/discussion/') ? [learnerOf(s)] : undefined), (s) => FORUM_KINDS[s.verb.id]),
  },
  problem_activity: {
    description: 'per learner: answers, problems tried and solved, hints and answers shown',
    columns: [
      LEARNER,
      { name: 'answers', description: 'graded answers submitted' },
      { name: 'problems_tried', description: 'distinct problems answered' },
      { name: 'problems_solved', description: 'distinct problems whose last answer was correct' },
      { name: 'hints_and_answers_shown', description: 'hints or answers asked for' },
    ],
    create: problemActivity,
  },
  problem_detail: {
    description: 'per learner and problem: attempts, last success, grade, max grade and time',
    columns: [
      LEARNER,
      { name: 'problem', description: 'activity id of the problem' },
      { name: 'attempts', description: 'graded answers submitted' },
      { name: 'success', description: 'whether the last answer was correct' },
      { name: 'grade', description: 'raw score of the last answer' },
      { name: 'max_grade', description: 'maximum score' },
      { name: 'time', description: 'time of the last answer (UTC)' },
    ],
    create: problemDetail,
    blockColumn: 'problem',
  },
  forum_posts: {
    description: 'every forum post: who posted it, its thread and the post it answers',
    columns: [
      { name: 'id', description: 'activity id of the post' },
      { name: 'poster', description: 'pseudonym of the author' },
      { name: 'thread', description: 'activity id of its thread' },
      { name: 'response_to', description: 'activity id of the post it answers (empty for a thread)' },
      { name: 'time', description: 'when it was posted (UTC)' },
    ],
    create: forumPosts,
  },
  textbook_activity: {
    description: 'per learner: textbook pages viewed, searches and other interactions',
    columns: [LEARNER, ...Object.values(TEXTBOOK_ACTIONS).map((k) => ({ name: k, description: `textbook ${k.replace('_', ' ')}` }))],
    create: countTable(Object.values(TEXTBOOK_ACTIONS), (s) => (isTextbook(s) ? [learnerOf(s)] : undefined), (s) => TEXTBOOK_ACTIONS[s.verb.id]),
  },
  survey_answers: {
    description: 'the last answers of each learner to the pre- and post-course survey questions, one column per question part',
    columns: [],
    create: surveyAnswers,
  },
  summary: {
    description: 'per day and in total: learners enrolled, active, completed and certified',
    columns: [
      { name: 'day', description: 'UTC day, or "total" for the whole span' },
      { name: 'enrolled', description: 'learners who registered' },
      { name: 'active', description: 'learners with any other statement' },
      { name: 'completed', description: 'learners who completed or passed with completion' },
      { name: 'certified', description: 'learners who passed the course' },
    ],
    create: summary,
  },
  page_activity: {
    description: 'per learner and day, visits of progress, info, courseware and discussion pages',
    columns: [
      LEARNER,
      { name: 'day', description: 'UTC day, YYYY-MM-DD' },
      ...['progress', 'info', 'courseware', 'discussion'].map((k) => ({ name: k, description: `${k} page views that day` })),
    ],
    create: countTable(['progress', 'info', 'courseware', 'discussion'], (s) => (s.verb.id === VERB.viewed.id ? [learnerOf(s), (s.timestamp ?? '').slice(0, 10)] : undefined), (s) => ext(s, EXT.pageKind) as string | undefined),
  },
};

