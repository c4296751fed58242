/**
 * A lower bound for issue 17's ratio, measured beside it: the least work any edX
 * translation must do per line, done as plainly as JavaScript allows. It reads the lines
 * as the floor does, parses each, derives an id from a key of the whole event (SHA-1),
 * looks up the learner's pseudonym (HMAC, once per learner), builds one statement of the
 * usual size and serializes it. It checks nothing, maps no event type and keeps no
 * counts: it is not a translator, only the price of the output the translator must write.
 */
import { hash } from 'node:crypto';
import { readLogLines } from '../src/ingest/edx/log-lines.js';
import { pseudonym } from '../src/xapi/ids.js';

const LMS = 'https://lms.example.org';

/** Serialized bytes of one lean statement per line of `log`. */
export async function leanTranslation(log: string, secret: string): Promise<number> {
  const pseudonyms = new Map<string, string>();
  let bytes = 0;
  for await (const line of readLogLines([log])) {
    if (!line.ok) continue;
    const e = JSON.parse(line.line) as { event_type?: string; event_source?: string; time?: string; page?: string; event?: unknown; context?: { user_id?: unknown; course_id?: string } };
    const user = String(e.context?.user_id ?? '');
    const payload = typeof e.event === 'string' ? e.event : JSON.stringify(e.event ?? null);
    const id = hash('sha1', JSON.stringify([e.event_type, e.event_source, e.time, user, e.context?.course_id, e.page]) + payload, 'hex');
    let name = pseudonyms.get(user);
    if (name === undefined) pseudonyms.set(user, (name = pseudonym(secret, user)));
    const course = `${LMS}/courses/${e.context?.course_id ?? ''}`;
    const statement = {
      id: `${id.slice(0, 8)}-${id.slice(8, 12)}-5${id.slice(13, 16)}-8${id.slice(17, 20)}-${id.slice(20, 32)}`,
      actor: { objectType: 'Agent', account: { homePage: LMS, name } },
      verb: { id: `https://w3id.org/xapi/edx/verbs/${e.event_type ?? ''}`, display: { 'en-US': e.event_type ?? '' } },
      object: { objectType: 'Activity', id: e.page ?? course, definition: { type: 'http://adlnet.gov/expapi/activities/module', name: { 'en-US': e.event_type ?? '' } } },
      result: { extensions: { 'https://w3id.org/xapi/edx/extensions/payload': payload.length } },
      context: {
        contextActivities: { parent: [{ objectType: 'Activity', id: course }], category: [{ objectType: 'Activity', id: 'https://w3id.org/xapi/edx' }] },
        extensions: { 'https://w3id.org/xapi/edx/extensions/session': e.event_source },
        platform: 'edX',
      },
      timestamp: e.time,
      version: '1.0.3',
    };
    bytes += JSON.stringify(statement).length;
  }
  return bytes;
}
