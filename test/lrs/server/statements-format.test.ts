import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { sid, useLrs } from './lrs-app.js';

const QUIZ = 'https://courses.example.org/quiz/7';
const COURSE = 'https://courses.example.org/courses/c1';
const ann = { objectType: 'Agent', name: 'Ann', mbox: 'mailto:ann@example.org' };
const bob = { name: 'Bob', account: { homePage: 'https://courses.example.org', name: 'bob' } };

/** A statement rich in everything the formats change. */
function rich(n: number, definition: Record<string, unknown>): Record<string, unknown> {
  return {
    id: sid(n),
    actor: { objectType: 'Group', name: 'Study group', member: [ann, bob] },
    verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered', 'de-DE': 'beantwortete', fr: 'a répondu' } },
    object: { objectType: 'Activity', id: QUIZ, definition },
    context: {
      instructor: { ...ann },
      team: { objectType: 'Group', name: 'Team', account: { homePage: 'https://courses.example.org', name: 'team-1' }, member: [bob] },
      contextActivities: { parent: [{ id: COURSE, definition: { name: { 'en-US': 'Course one' } } }] },
    },
    timestamp: '2024-05-01T10:00:00.000Z',
  };
}

const QUIZ_DEFINITION = {
  name: { 'en-US': 'Quiz seven', 'de-DE': 'Quiz sieben' },
  description: { 'en-US': 'Seven questions' },
  type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  interactionType: 'choice',
  correctResponsesPattern: ['a'],
  choices: [
    { id: 'a', description: { 'en-US': 'Yes', 'de-DE': 'Ja' } },
    { id: 'b', description: { 'en-US': 'No', 'de-DE': 'Nein' } },
  ],
};

describe.each(DATABASE_KINDS)('statement formats of the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind);

  const single = async (n: number, format: string, language?: string) => {
    const req = lrs.get(`/xapi/statements?statementId=${sid(n)}&format=${format}`);
    if (language !== undefined) req.set('Accept-Language', language);
    return (await req.expect(200)).body as Record<string, any>;
  };

  it('returns statements exactly as received with format=exact, the default', async () => {
    await lrs.post('/xapi/statements', rich(1, QUIZ_DEFINITION)).expect(200);
    const exact = await single(1, 'exact');
    const { stored: _s, authority: _a, version: _v, ...received } = exact;
    expect(received).toEqual(rich(1, QUIZ_DEFINITION));
    expect((await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body).toEqual(exact);
  });

  it('keeps only identifiers with format=ids: IFIs, member IFIs of anonymous groups, activity and verb ids', async () => {
    const sub = {
      ...rich(2, QUIZ_DEFINITION),
      object: { objectType: 'SubStatement', actor: { ...bob, objectType: 'Agent' }, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { en: 'attempted' } }, object: { ...ann } },
    };
    await lrs.post('/xapi/statements', [rich(1, QUIZ_DEFINITION), sub]).expect(200);
    const ids = await single(1, 'ids');
    expect(ids.actor).toEqual({ objectType: 'Group', member: [{ objectType: 'Agent', mbox: ann.mbox }, { account: bob.account }] });
    expect(ids.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/answered' });
    expect(ids.object).toEqual({ objectType: 'Activity', id: QUIZ });
    expect(ids.context.instructor).toEqual({ objectType: 'Agent', mbox: ann.mbox });
    expect(ids.context.team).toEqual({ objectType: 'Group', account: { homePage: 'https://courses.example.org', name: 'team-1' } });
    expect(ids.context.contextActivities).toEqual({ parent: [{ objectType: 'Activity', id: COURSE }] });
    expect(ids.authority).toEqual({ objectType: 'Agent', account: { homePage: 'urn:xapi-gateway', name: 'flusher' } });
    const nested = (await single(2, 'ids')).object;
    expect(nested).toEqual({
      objectType: 'SubStatement',
      actor: { objectType: 'Agent', account: bob.account },
      verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' },
      object: { objectType: 'Agent', mbox: ann.mbox },
    });
  });

  it('gives canonical definitions in the language Accept-Language prefers with format=canonical', async () => {
    await lrs.post('/xapi/statements', rich(1, QUIZ_DEFINITION)).expect(200);
    // A later statement brings a French name and a new type; the canonical definition merges them.
    await lrs.post('/xapi/statements', rich(2, { name: { fr: 'Quiz sept' }, type: 'http://adlnet.gov/expapi/activities/assessment' })).expect(200);
    const german = await single(1, 'canonical', 'de-CH, de;q=0.9, en;q=0.5');
    expect(german.verb.display).toEqual({ 'de-DE': 'beantwortete' });
    expect(german.object.definition.name).toEqual({ 'de-DE': 'Quiz sieben' });
    expect(german.object.definition.description).toEqual({ 'en-US': 'Seven questions' });
    expect(german.object.definition.type).toBe('http://adlnet.gov/expapi/activities/assessment');
    expect(german.object.definition.choices).toEqual([
      { id: 'a', description: { 'de-DE': 'Ja' } },
      { id: 'b', description: { 'de-DE': 'Nein' } },
    ]);
    expect(german.context.contextActivities.parent[0].definition).toEqual({ name: { 'en-US': 'Course one' } });
    // Agents stay exact.
    expect(german.actor).toEqual(rich(1, QUIZ_DEFINITION).actor);
    const french = await single(2, 'canonical', 'fr;q=0.8, en-US;q=0.4');
    expect(french.object.definition.name).toEqual({ fr: 'Quiz sept' });
    expect(french.verb.display).toEqual({ fr: 'a répondu' });
    const anyLanguage = await single(2, 'canonical');
    expect(Object.keys(anyLanguage.object.definition.name)).toHaveLength(1);
    const res = await lrs.get(`/xapi/statements?statementId=${sid(1)}&format=canonical`).expect(200);
    expect(res.headers.vary).toContain('Accept-Language');
  });

  it('keeps the format of the first page in the more IRL', async () => {
    await lrs.post('/xapi/statements', [rich(1, QUIZ_DEFINITION), rich(2, QUIZ_DEFINITION), rich(3, QUIZ_DEFINITION)]).expect(200);
    const first = await lrs.get('/xapi/statements?format=ids&limit=2').expect(200);
    expect(first.body.statements[0].verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/answered' });
    const next = await lrs.get(first.body.more).expect(200);
    expect(next.body.statements).toHaveLength(1);
    expect(next.body.statements[0].object).toEqual({ objectType: 'Activity', id: QUIZ });
  });

  it('refuses an unknown format with 400', async () => {
    await lrs.get('/xapi/statements?format=IDS').expect(400);
    await lrs.get(`/xapi/statements?statementId=${sid(1)}&format=full`).expect(400);
  });
});
