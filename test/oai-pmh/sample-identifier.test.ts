import { XmlDocument } from 'libxml2-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourseStore } from '../../src/catalog/courses.js';
import { loadConfig } from '../../src/config/index.js';
import { oaiProvider } from '../../src/oai-pmh/routes.js';
import { fullCourse } from '../support/catalog.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { oaiSchemaErrors } from '../support/oai-schema.js';

// oai-identifier.xsd, sampleIdentifierType.
const SAMPLE = /^oai:[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+:[a-zA-Z0-9\-_.!~*'();/?:@&=+$,%]+$/;

describe.each(DATABASE_KINDS)('the sampleIdentifier of Identify on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  let courses: CourseStore;
  const start = async (repositoryId: string) => {
    app = await startEmbeddedLrs(t.database, { oai: await oaiProvider(t.database, loadConfig({ OAI_REPOSITORY_ID: repositoryId })) });
  };
  beforeEach(async () => {
    t = await freshDatabase(kind);
    courses = new CourseStore(t.database);
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  /** The sample of a schema-valid Identify answer. */
  const sample = async (): Promise<string> => {
    const xml = await (await fetch(`${app.origin}/oai?verb=Identify`)).text();
    expect(oaiSchemaErrors(xml)).toEqual([]);
    const found = XmlDocument.fromString(xml).find('//*[local-name()="sampleIdentifier"]').map((n) => n.content);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(SAMPLE);
    return found[0]!;
  };

  it('is built from the repository id, with a placeholder course while the catalogue is empty', async () => {
    await start('oai.uni-example.edu');
    expect(await sample()).toBe('oai:oai.uni-example.edu:course-v1:Org+Course+Run');
  });

  it('names a published course of the catalogue, never a withdrawn one', async () => {
    await start('eco.example.org');
    await courses.put(fullCourse('course-v1:UniX+BIO1+2026', { published: true }));
    await courses.patch('course-v1:UniX+BIO1+2026', { published: false });
    await courses.put(fullCourse('draft-course'));
    expect(await sample()).toBe('oai:eco.example.org:course-v1:Org+Course+Run');
    await courses.put(fullCourse('course-v1:UniX+CHEM2+2026', { published: true }));
    expect(await sample()).toBe('oai:eco.example.org:course-v1:UniX+CHEM2+2026');
  });
});
