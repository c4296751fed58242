import { XmlDocument, type XmlNode } from 'libxml2-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourseStore } from '../../src/catalog/courses.js';
import { TeacherStore } from '../../src/catalog/teachers.js';
import { loadConfig } from '../../src/config/index.js';
import { oaiProvider } from '../../src/oai-pmh/routes.js';
import { fullCourse } from '../support/catalog.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { oaiSchemaErrors, standaloneMetadataErrors } from '../support/oai-schema.js';

const NS = { o: 'http://www.openarchives.org/OAI/2.0/', lom: 'http://ltsc.ieee.org/xsd/LOM', dc: 'http://purl.org/dc/elements/1.1/', eco: 'http://www.ecolearning.eu/xsd/LOM' };
const REPO = 'eco.example.org';

/** A parsed response with XPath helpers; every response must be schema-valid. */
function parsed(xml: string) {
  expect(oaiSchemaErrors(xml)).toEqual([]);
  expect(standaloneMetadataErrors(xml)).toEqual([]);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><OAI-PMH')).toBe(true);
  const doc = XmlDocument.fromString(xml);
  const all = (xpath: string): XmlNode[] => doc.find(xpath, NS);
  const text = (xpath: string) => all(xpath).map((n) => n.content);
  return { xml, all, text, error: text('/o:OAI-PMH/o:error/@code')[0], request: all('/o:OAI-PMH/o:request')[0]! };
}

describe.each(DATABASE_KINDS)('OAI-PMH on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  let courses: CourseStore;
  let teachers: TeacherStore;
  const start = async (env: Record<string, string> = {}) => {
    app = await startEmbeddedLrs(t.database, { oai: await oaiProvider(t.database, loadConfig({ OAI_REPOSITORY_ID: REPO, OAI_PAGE_SIZE: '3', ...env })) });
  };
  beforeEach(async () => {
    t = await freshDatabase(kind);
    courses = new CourseStore(t.database);
    teachers = new TeacherStore(t.database);
    await start();
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  const get = async (query: string) => parsed(await (await fetch(`${app.origin}/oai?${query}`)).text());
  const publish = async (n: number, overrides: Record<string, unknown> = {}) => {
    for (let i = 1; i <= n; i++) await courses.put(fullCourse(`c${i}`, { published: true, ...overrides }));
  };
  const identifiers = (r: ReturnType<typeof parsed>) => r.text('//o:header/o:identifier');
  const token = (r: ReturnType<typeof parsed>) => r.text('//o:resumptionToken')[0];

  it('answers Identify with every required element and an oai-identifier description, also when empty', async () => {
    const r = await get('verb=Identify');
    expect(r.error).toBeUndefined();
    expect(r.text('//o:Identify/o:baseURL')).toEqual([`${app.origin}/oai`]);
    expect(r.text('//o:Identify/o:protocolVersion')).toEqual(['2.0']);
    expect(r.text('//o:Identify/o:deletedRecord')).toEqual(['persistent']);
    expect(r.text('//o:Identify/o:granularity')).toEqual(['YYYY-MM-DDThh:mm:ssZ']);
    expect(r.text('//o:Identify/o:earliestDatestamp')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.text('//*[local-name()="repositoryIdentifier"]')).toEqual([REPO]);
    expect(r.request.content).toBe(`${app.origin}/oai`);
  });

  it('answers badVerb for a missing, unknown or repeated verb, echoing no arguments', async () => {
    for (const q of ['', 'verb=Explode', 'verb=Identify&verb=Identify']) {
      const r = await get(q);
      expect(r.error).toBe('badVerb');
      expect(r.request.find('@*')).toEqual([]);
    }
  });

  it('answers badArgument for missing, repeated, illegal and malformed arguments', async () => {
    await publish(1);
    for (const q of [
      'verb=GetRecord&identifier=oai:eco.example.org:c1',
      'verb=ListRecords',
      'verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc',
      'verb=Identify&colour=red',
      'verb=ListRecords&metadataPrefix=oai_dc&from=2026-13-01',
      'verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-12-31T00:00:00Z',
      'verb=ListRecords&metadataPrefix=oai_dc&from=2027-01-01&until=2026-01-01',
    ]) {
      const r = await get(q);
      expect(r.error, q).toBe('badArgument');
      expect(r.request.find('@*')).toEqual([]);
    }
  });

  it('lists metadata formats, also of one record, and refuses an unknown identifier', async () => {
    await publish(1);
    expect((await get('verb=ListMetadataFormats')).text('//o:metadataPrefix')).toEqual(['oai_dc', 'oai_lom']);
    expect((await get(`verb=ListMetadataFormats&identifier=oai:${REPO}:c1`)).text('//o:metadataPrefix')).toEqual(['oai_dc', 'oai_lom']);
    expect((await get(`verb=ListMetadataFormats&identifier=oai:${REPO}:nope`)).error).toBe('idDoesNotExist');
    expect((await get('verb=ListMetadataFormats&identifier=oai:other.org:c1')).error).toBe('idDoesNotExist');
  });

  it('answers noSetHierarchy without sets, and lists hierarchical sets whose parents hold their subsets', async () => {
    expect((await get('verb=ListSets')).error).toBe('noSetHierarchy');
    await publish(1);
    expect((await get('verb=ListRecords&metadataPrefix=oai_dc&set=cs')).error).toBe('noSetHierarchy');
    await teachers.putSet({ spec: 'cs', name: 'Computer science' });
    await teachers.putSet({ spec: 'cs:intro', name: 'Introductions' });
    await teachers.putSet({ spec: 'math', name: 'Mathematics' });
    await courses.put(fullCourse('c2', { published: true, sets: ['cs:intro'] }));
    await courses.put(fullCourse('c3', { published: true, sets: ['math'] }));
    expect((await get('verb=ListSets')).text('//o:setSpec')).toEqual(['cs', 'cs:intro', 'math']);
    expect(identifiers(await get('verb=ListIdentifiers&metadataPrefix=oai_dc&set=cs'))).toEqual([`oai:${REPO}:c2`]);
    expect((await get('verb=ListIdentifiers&metadataPrefix=oai_dc&set=cs:intro')).text('//o:setSpec')).toEqual(['cs:intro']);
    expect((await get('verb=ListIdentifiers&metadataPrefix=oai_dc&set=nothing')).error).toBe('noRecordsMatch');
  });

  it('serves a record in oai_dc and in oai_lom with the ECO fields, in order, and vCards joined by CRLF', async () => {
    await teachers.put({ id: '6f9619ff-8b86-d011-b42d-00cf4fc964ff', name: 'Grace Hopper' });
    await courses.put(fullCourse('c1', { published: true, teachers: ['6f9619ff-8b86-d011-b42d-00cf4fc964ff'] }));
    const dc = await get(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:c1`);
    expect(dc.text('//dc:title')).toEqual(['Course c1', 'Curso c1']);
    expect(dc.text('//dc:creator')).toEqual(['Grace Hopper']);
    const lom = await get(`verb=GetRecord&metadataPrefix=oai_lom&identifier=oai:${REPO}:c1`);
    expect(lom.text('//lom:general/lom:identifier/lom:entry')).toEqual([`oai:${REPO}:c1`]);
    expect(lom.all('//lom:lom/*').map((n) => (n as unknown as { name: string }).name)).toEqual(['general', 'lifeCycle', 'classification', 'technical', 'educational', 'courseImage']);
    expect(lom.text('//lom:string[not(@language)]')).toEqual([]);
    expect(lom.text('//lom:taxon/lom:id')).toEqual(['ECO:TS']);
    const [author, provider] = lom.text('//lom:contribute/lom:entity');
    expect(author).toBe('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nUID:urn:uuid:6f9619ff-8b86-d011-b42d-00cf4fc964ff\r\nEND:VCARD');
    expect(provider).toContain('\r\nORG:OrgX University\r\n');
    expect(lom.text('//eco:courseImage/eco:courseUrl')).toEqual(['https://lms.example.org/static/cs101.png']);
    expect(lom.xml).not.toContain('CDATA');
    expect((await get(`verb=GetRecord&metadataPrefix=marc21&identifier=oai:${REPO}:c1`)).error).toBe('cannotDisseminateFormat');
    expect((await get(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:c9`)).error).toBe('idDoesNotExist');
  });

  it('writes names in vCards as entered, since ECO reads FN and ORG literally', async () => {
    const name = "Smith, Jane; O'Brien \\ 李小龍 Ελένη محمد 😀 <&>";
    await teachers.put({ id: 't1', name });
    await courses.put(fullCourse('c1', { published: true, teachers: ['t1'], organisation: 'Uni; Dept, \\Lab' }));
    const lom = await get(`verb=GetRecord&metadataPrefix=oai_lom&identifier=oai:${REPO}:c1`);
    const [author, provider] = lom.text('//lom:contribute/lom:entity');
    expect(author!.split('\r\n')).toContain(`FN:${name}`);
    expect(provider!.split('\r\n')).toContain('ORG:Uni; Dept, \\Lab');
  });

  it('keeps a deleted course as a header with status deleted', async () => {
    await publish(2);
    await courses.remove('c1');
    await courses.put(fullCourse('c2', { published: false }));
    const r = await get('verb=ListRecords&metadataPrefix=oai_lom');
    expect(r.all('//o:header[@status="deleted"]')).toHaveLength(2);
    expect(r.all('//o:metadata')).toHaveLength(0);
    expect((await get(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:c1`)).all('//o:header[@status="deleted"]')).toHaveLength(1);
  });

  it('pages a list with signed tokens, cursor and completeListSize, ending with an empty token in strict mode', async () => {
    await app.close();
    await start({ OAI_STRICT: 'true' });
    await publish(7);
    const first = await get('verb=ListRecords&metadataPrefix=oai_lom');
    expect(first.all('//o:record')).toHaveLength(3);
    expect(first.text('//o:resumptionToken/@cursor')).toEqual(['0']);
    expect(first.text('//o:resumptionToken/@completeListSize')).toEqual(['7']);
    expect(token(first)).toMatch(/^[A-Za-z0-9_.-]+$/);
    const middle = await get(`verb=ListRecords&resumptionToken=${token(first)!}`);
    expect(middle.text('//o:resumptionToken/@cursor')).toEqual(['3']);
    const last = await get(`verb=ListRecords&resumptionToken=${token(middle)!}`);
    expect(last.all('//o:record')).toHaveLength(1);
    expect(last.all('//o:resumptionToken')).toHaveLength(1);
    expect(token(last)).toBe('');
    expect([...identifiers(first), ...identifiers(middle), ...identifiers(last)].sort()).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `oai:${REPO}:c${i}`));
  });

  it('refuses a tampered token, a token of another verb and a token of another repository', async () => {
    await publish(5);
    const tokenOf = token(await get('verb=ListIdentifiers&metadataPrefix=oai_dc'))!;
    const [body, signature] = tokenOf.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), c: 0, i: '' })).toString('base64url')}.${signature!}`;
    expect((await get(`verb=ListIdentifiers&resumptionToken=${tampered}`)).error).toBe('badResumptionToken');
    expect((await get(`verb=ListRecords&resumptionToken=${tokenOf}`)).error).toBe('badResumptionToken');
    const other = await freshDatabase(kind);
    try {
      const foreign = await oaiProvider(other.database, loadConfig({ OAI_REPOSITORY_ID: REPO }));
      expect(() => foreign.tokens.decode(tokenOf)).toThrow(/not one this repository issued/);
    } finally {
      await other.drop();
    }
  });

  it('selects by from and until, inclusive, at day and second granularity', async () => {
    await publish(2);
    const stamps = (await get('verb=ListIdentifiers&metadataPrefix=oai_dc')).text('//o:datestamp');
    const day = stamps[0]!.slice(0, 10);
    expect(identifiers(await get(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${day}&until=${day}`))).toHaveLength(2);
    expect(identifiers(await get(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${stamps[1]!}&until=${stamps[1]!}`))).toContain(`oai:${REPO}:c2`);
    expect((await get('verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01')).error).toBe('noRecordsMatch');
  });

  it('returns every record exactly once through a harvest while courses are added and deleted', async () => {
    await publish(10);
    const seen: string[] = [];
    let r = await get('verb=ListIdentifiers&metadataPrefix=oai_dc');
    seen.push(...identifiers(r));
    let n = 20;
    while (token(r)) {
      await courses.put(fullCourse(`new${n++}`, { published: true }));
      // A record already sent is deleted: its tombstone is past this harvest's frozen until.
      await courses.remove(identifiers(r)[0]!.slice(`oai:${REPO}:`.length));
      r = await get(`verb=ListIdentifiers&resumptionToken=${token(r)!}`);
      seen.push(...identifiers(r));
    }
    expect(seen.sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `oai:${REPO}:c${i + 1}`)].sort());
    // The next harvest brings the additions and the tombstones, each once.
    const again: string[] = [];
    let deleted = 0;
    r = await get('verb=ListIdentifiers&metadataPrefix=oai_dc');
    for (;;) {
      again.push(...identifiers(r));
      deleted += r.all('//o:header[@status="deleted"]').length;
      if (!token(r)) break;
      r = await get(`verb=ListIdentifiers&resumptionToken=${token(r)!}`);
    }
    expect(new Set(again).size).toBe(again.length);
    expect(again).toHaveLength(10 + n - 20);
    expect(deleted).toBe(n - 20);
  });

  it('harvests as ECO does at default settings: prefix beside the token, no empty last token', async () => {
    await publish(4);
    const first = await get('verb=ListRecords&metadataPrefix=oai_lom');
    expect(first.text('//o:resumptionToken/@completeListSize')).toEqual(['4']);
    const last = await get(`verb=ListRecords&metadataPrefix=oai_lom&resumptionToken=${token(first)!}`);
    expect(last.error).toBeUndefined();
    expect(last.all('//o:resumptionToken')).toHaveLength(0);
    expect(identifiers(first).length + identifiers(last).length).toBe(4);
    expect((await get(`verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=${token(first)!}`)).error).toBe('badArgument');
  });

  it('refuses metadataPrefix beside a token in strict mode, and so does the former OAI_ECO_COMPAT=false', async () => {
    await publish(4);
    for (const env of [{ OAI_STRICT: 'true' }, { OAI_ECO_COMPAT: 'false' }] as Record<string, string>[]) {
      await app.close();
      await start(env);
      const first = await get('verb=ListRecords&metadataPrefix=oai_lom');
      expect((await get(`verb=ListRecords&metadataPrefix=oai_lom&resumptionToken=${token(first)!}`)).error).toBe('badArgument');
      expect((await get(`verb=ListRecords&resumptionToken=${token(first)!}`)).all('//o:resumptionToken')).toHaveLength(1);
    }
  });

  it('answers POST requests as GET requests', async () => {
    await publish(1);
    const res = await fetch(`${app.origin}/oai`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'verb=ListIdentifiers&metadataPrefix=oai_dc' });
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(identifiers(parsed(await res.text()))).toEqual([`oai:${REPO}:c1`]);
  });
});
