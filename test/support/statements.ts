/**
 * Valid, realistic statements for tests and benchmarks: a pseudonymous account actor,
 * a video verb, an activity with a definition, the course as parent, extensions.
 */
import { v5 as uuidv5 } from 'uuid';

const NAMESPACE = '6f1c1c52-6b47-4a43-9d0c-6a8a9b0e0f01';

/** A statement with a deterministic id from `key`. */
export function makeStatement(key: string, i = 0): { id: string; [k: string]: unknown } {
  return {
    id: uuidv5(key, NAMESPACE),
    actor: { objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: `learner-${i % 997}` } },
    verb: { id: 'https://w3id.org/xapi/video/verbs/played', display: { 'en-US': 'played' } },
    object: {
      objectType: 'Activity',
      id: `https://courses.example.org/xblock/block-v1:Org+C101+2026+type@video+block@v${i % 50}`,
      definition: { type: 'https://w3id.org/xapi/video/activity-type/video', name: { 'en-US': `Video ${i % 50}` } },
    },
    result: { extensions: { 'https://w3id.org/xapi/video/extensions/time': (i % 600) + 0.5 } },
    context: {
      registration: uuidv5(`reg-${i % 997}`, NAMESPACE),
      platform: 'edX',
      contextActivities: {
        parent: [{ objectType: 'Activity', id: 'https://courses.example.org/courses/course-v1:Org+C101+2026' }],
      },
      extensions: { 'https://w3id.org/xapi/video/extensions/session-id': `s-${i % 31}` },
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  };
}

/** `n` statements keyed `${prefix}-${i}`. */
export function makeStatements(n: number, prefix = 'stmt'): { id: string; [k: string]: unknown }[] {
  return Array.from({ length: n }, (_, i) => makeStatement(`${prefix}-${i}`, i));
}
