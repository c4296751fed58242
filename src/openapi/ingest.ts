/**
 * `POST /ingest/edx`: the live endpoint edX instances post tracking events to (a log
 * shipper, or the event-tracking backend in contrib/edx/).
 */
import { json, type PathTable } from './kit.js';

const COURSE = 'course-v1:OrgX+CS101+2026';
const PAGE = `https://lms.example.org/courses/${COURSE}/courseware/week_1/unit_1/`;

/** Two events as the tracking backend sends them: a video played in the browser, an enrollment on the server. */
export const EDX_BATCH_EXAMPLE = [
  {
    username: 'learner_0042',
    event_source: 'browser',
    event_type: 'play_video',
    name: 'play_video',
    time: '2026-03-02T09:15:22.123456+00:00',
    host: 'lms.example.org',
    page: PAGE,
    session: '3f2b9c0d8e7a6b5c4d3e2f1a0b9c8d7e',
    event: '{"id": "0b9e39477cf34507a7a48f74be381fdd", "currentTime": 132.52, "code": "html5"}',
    context: { course_id: COURSE, org_id: 'OrgX', user_id: 42, path: '/event' },
  },
  {
    username: 'learner_0042',
    event_source: 'server',
    event_type: 'edx.course.enrollment.activated',
    name: 'edx.course.enrollment.activated',
    time: '2026-03-01T14:02:51.734120+00:00',
    host: 'lms.example.org',
    event: { course_id: COURSE, user_id: 42, mode: 'audit' },
    context: { course_id: COURSE, org_id: 'OrgX', user_id: 42, path: '/change_enrollment' },
  },
];

const EVENT = { type: 'object', required: ['event_type'], properties: { event_type: { type: 'string' }, time: { type: 'string' }, context: { type: 'object' } } };
const COUNTS = { type: 'integer', minimum: 0 };

/** What the 202 answer counts (a run summary, DESIGN "Interfaces"). */
const RECEIPT = {
  type: 'object',
  required: ['received', 'translated', 'statements', 'ignored', 'rejected', 'byType', 'errors'],
  properties: {
    received: COUNTS, translated: COUNTS, statements: COUNTS, unresolved: COUNTS, ignored: COUNTS, rejected: COUNTS,
    added: { ...COUNTS, description: 'statements new to the outbox' },
    known: { ...COUNTS, description: 'statements the outbox already held (the same event sent again)' },
    replaced: COUNTS,
    erased: { ...COUNTS, description: 'events of learners erased at their request, dropped unstored (present once edX has erasures)' },
    ignoredBy: { type: 'object', additionalProperties: COUNTS, description: 'ignored events by reason' },
    byType: { type: 'object', description: 'counts by edX event type', additionalProperties: { type: 'object', properties: { translated: COUNTS, ignored: COUNTS, rejected: COUNTS, erased: COUNTS } } },
    errors: { type: 'array', description: 'the first rejections: where (body[i] or line N) and why', items: { type: 'object', required: ['at', 'reason'], properties: { at: { type: 'string' }, reason: { type: 'string' } } } },
  },
};

/** The path of the live edX endpoint. */
export const INGEST_PATHS: PathTable = {
  '/ingest/edx': {
    post: {
      summary: 'edX tracking events: one JSON event, a JSON array, or NDJSON',
      description:
        'Each event is translated, validated and put in the outbox before the answer. A bad event is counted and kept in rejected_records; ' +
        'it never fails the events beside it. Needs EDX_INGEST_TOKENS and EDX_LMS_URL.',
      security: ['edxToken'],
      body: {
        content: {
          'application/json': { schema: { oneOf: [EVENT, { type: 'array', items: EVENT }] }, example: EDX_BATCH_EXAMPLE },
          'application/x-ndjson': { schema: { type: 'string' }, example: EDX_BATCH_EXAMPLE.map((e) => JSON.stringify(e)).join('\n') },
          // The other names log shippers give NDJSON.
          ...Object.fromEntries(['application/ndjson', 'application/jsonl', 'application/x-jsonlines'].map((type) => [type, { schema: { type: 'string' } }])),
        },
      },
      responses: {
        202: json('what became of the events', RECEIPT, {
          received: 2, translated: 2, statements: 2, unresolved: 0, ignored: 0, ignoredBy: {}, rejected: 0, added: 2, known: 0, replaced: 0,
          byType: { play_video: { translated: 1, ignored: 0, rejected: 0 }, 'edx.course.enrollment.activated': { translated: 1, ignored: 0, rejected: 0 } },
          errors: [],
        }),
        400: 'the body holds no event, or is neither JSON nor NDJSON',
        401: 'no or a wrong token; also when the endpoint is off (EDX_INGEST_TOKENS unset), which the answer says',
        415: 'no Content-Type, or one not accepted: the Accept-Post header lists those accepted',
        413: 'more events than INGEST_MAX_EVENTS, or a body over BODY_LIMIT: split the batch (nothing of it was stored)',
      },
    },
  },
};
