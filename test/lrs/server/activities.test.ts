import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mergeDefinitions } from '../../../src/lrs/server/activity-definitions.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { realistic, sid, useLrs } from './lrs-app.js';

const VIDEO = 'https://courses.example.org/video/1';
const COURSE = 'https://courses.example.org/courses/c1';

/** A statement about VIDEO with `definition`, and the course as parent with `parent`. */
function about(n: number, definition?: Record<string, unknown>, parent?: Record<string, unknown>): Record<string, unknown> {
  const s = realistic(n);
  s.object = definition === undefined ? { id: VIDEO } : { id: VIDEO, definition };
  s.context = { contextActivities: { parent: [parent === undefined ? { id: COURSE } : { id: COURSE, definition: parent }] } };
  return s;
}

describe('canonical definition merge', () => {
  it('merges language maps by language and replaces every other property', () => {
    expect(
      mergeDefinitions(
        { name: { en: 'Video' }, description: { en: 'A video' }, type: 'urn:t:1', extensions: { 'urn:x': 1 } },
        { name: { de: 'Video', en: 'The video' }, type: 'urn:t:2', extensions: { 'urn:y': 2 } },
      ),
    ).toEqual({ name: { en: 'The video', de: 'Video' }, description: { en: 'A video' }, type: 'urn:t:2', extensions: { 'urn:y': 2 } });
  });
});

describe.each(DATABASE_KINDS)('the Activities Resource of the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind);

  const activity = async (id: string) => {
    const res = await lrs.get(`/xapi/activities?activityId=${encodeURIComponent(id)}`).expect(200);
    expect(res.headers.etag).toBe(`"${createHash('sha1').update(res.text).digest('hex')}"`);
    return res.body as Record<string, unknown>;
  };

  it('answers the canonical definition, merged from every statement stored, across and within batches', async () => {
    await lrs.post('/xapi/statements', about(1, { name: { 'en-US': 'Video one' }, description: { 'en-US': 'The first video' }, type: 'urn:type:video' })).expect(200);
    await lrs.post('/xapi/statements', [
      about(2, { name: { 'de-DE': 'Video eins' } }, { name: { 'en-US': 'Course' } }),
      about(3, { name: { 'en-US': 'Video 1' }, type: 'urn:type:lecture' }, { description: { 'en-US': 'A course' } }),
      about(4),
    ]).expect(200);
    expect(await activity(VIDEO)).toEqual({
      objectType: 'Activity',
      id: VIDEO,
      definition: { name: { 'en-US': 'Video 1', 'de-DE': 'Video eins' }, description: { 'en-US': 'The first video' }, type: 'urn:type:lecture' },
    });
    expect(await activity(COURSE)).toEqual({
      objectType: 'Activity',
      id: COURSE,
      definition: { name: { 'en-US': 'Course' }, description: { 'en-US': 'A course' } },
    });
  });

  it('keeps the definition when a stored statement is sent again, even in a batch with new ones', async () => {
    await lrs.post('/xapi/statements', about(1, { name: { 'en-US': 'Old name' } })).expect(200);
    await lrs.post('/xapi/statements', about(2, { name: { 'en-US': 'New name' } })).expect(200);
    await lrs.post('/xapi/statements', about(1, { name: { 'en-US': 'Old name' } })).expect(200);
    await lrs.post('/xapi/statements', [about(1, { name: { 'en-US': 'Old name' } }), about(3, { description: { en: 'Added' } })]).expect(200);
    expect((await activity(VIDEO)).definition).toEqual({ name: { 'en-US': 'New name' }, description: { en: 'Added' } });
  });

  it('answers an Activity it has no definition of with its id only', async () => {
    await lrs.post('/xapi/statements', about(1)).expect(200);
    expect(await activity(VIDEO)).toEqual({ objectType: 'Activity', id: VIDEO });
    expect(await activity('https://nowhere.example.org/unknown')).toEqual({ objectType: 'Activity', id: 'https://nowhere.example.org/unknown' });
  });

  it('refuses a missing, repeated or invalid activityId and unknown parameters with 400', async () => {
    await lrs.get('/xapi/activities').expect(400);
    await lrs.get('/xapi/activities?activityId=not%20an%20iri').expect(400);
    await lrs.get(`/xapi/activities?activityId=${encodeURIComponent(VIDEO)}&activityId=${encodeURIComponent(COURSE)}`).expect(400);
    await lrs.get(`/xapi/activities?activityId=${encodeURIComponent(VIDEO)}&ActivityId=x`).expect(400);
    await lrs.get(`/xapi/activities?activityid=${encodeURIComponent(VIDEO)}`).expect(400);
  });

  it('refuses methods other than GET and HEAD with 405', async () => {
    await lrs.head(`/xapi/activities?activityId=${encodeURIComponent(VIDEO)}`).expect(200);
    const res = await lrs.delete(`/xapi/activities?activityId=${encodeURIComponent(VIDEO)}`).expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('leaves the definition of a voided statement in place', async () => {
    await lrs.post('/xapi/statements', about(1, { name: { en: 'Kept' } })).expect(200);
    const voiding = { actor: { mbox: 'mailto:admin@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: sid(1) } };
    await lrs.post('/xapi/statements', voiding).expect(200);
    expect((await activity(VIDEO)).definition).toEqual({ name: { en: 'Kept' } });
  });
});
