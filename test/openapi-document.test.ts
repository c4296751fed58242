/**
 * /openapi.json is a valid OpenAPI 3.1 document. No OpenAPI meta-schema ships offline, so
 * its structure is checked here: every path parameter declared, every $ref resolved, every
 * security scheme and tag defined, every schema a strict JSON Schema 2020-12 (OpenAPI 3.1's
 * dialect), and every example valid against its schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COURSE_SCHEMA, LINK_SCHEMA } from '../src/catalog/schemas.js';
import { openApiDocument } from '../src/openapi.js';
import { COURSE_SETTINGS_SCHEMA } from '../src/reports/coursera/course-settings.js';
import { bodyRecords } from '../src/pipelines/edx-live.js';
import { validateStatement } from '../src/xapi/index.js';
import { schemaChecker } from './support/openapi.js';

type Json = Record<string, unknown>;
interface Parameter { name: string; in: string; description?: string; required?: boolean; schema: object; example?: unknown }
interface Media { schema: object; example?: unknown }
interface Operation { tags: string[]; parameters: Parameter[]; security?: Json[]; requestBody?: { content: Record<string, Media> }; responses: Record<string, { description: string; content?: Record<string, Media> }> }

const doc = openApiDocument() as { openapi: string; info: Json; tags: { name: string }[]; paths: Record<string, Json>; components: { schemas: Record<string, object>; securitySchemes: Json } };
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** Every operation with its path and method. */
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => m in item).map((method) => ({ at: `${method} ${path}`, path, op: item[method] as Operation })),
);

/** Every media type of requests and responses: where, its schema and its example. */
const media = operations.flatMap(({ at, op }) => [
  ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => ({ at: `${at} body ${type}`, ...m })),
  ...Object.entries(op.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, m]) => ({ at: `${at} ${status} ${type}`, ...m }))),
]);

/** Every value under `key` anywhere in `value`, with its JSON pointer. */
function collect(value: unknown, key: string, at = ''): { at: string; value: unknown }[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [{ at, value: v }] : []), ...collect(v, key, `${at}/${k}`)]);
}

function resolves(pointer: string): boolean {
  if (!pointer.startsWith('#/')) return false;
  let node: unknown = doc;
  for (const part of pointer.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return false;
    node = (node as Json)[part];
  }
  return true;
}

describe('/openapi.json as an OpenAPI 3.1 document', () => {
  it('has the version, the info and paths in OpenAPI form', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const bad = Object.keys(doc.paths).filter((p) => !/^\/([\w.{}-]+\/?)*$/.test(p) || p.includes(':') || (p.length > 1 && p.endsWith('/')));
    expect(bad).toEqual([]);
    expect(operations.length).toBeGreaterThan(60);
  });

  it('declares every path parameter of each template, required and described, and no other', () => {
    const wrong = operations.flatMap(({ at, path, op }) => {
      const template = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = op.parameters.filter((p) => p.in === 'path');
      const names = declared.map((p) => p.name).sort();
      const problems = JSON.stringify(template) === JSON.stringify(names) ? [] : [`${at}: template ${template.join(',')} declared ${names.join(',')}`];
      return [
        ...problems,
        ...declared.filter((p) => p.required !== true).map((p) => `${at}: ${p.name} not required`),
        ...declared.filter((p) => !p.description || p.description === p.name).map((p) => `${at}: ${p.name} not described`),
      ];
    });
    expect(wrong).toEqual([]);
  });

  it('gives every parameter a place and a schema, once', () => {
    const wrong = operations.flatMap(({ at, op }) => {
      const keys = op.parameters.map((p) => `${p.in} ${p.name}`);
      return [
        ...op.parameters.filter((p) => !['path', 'query', 'header', 'cookie'].includes(p.in) || typeof p.schema !== 'object').map((p) => `${at}: ${p.name}`),
        ...keys.filter((k, i) => keys.indexOf(k) !== i).map((k) => `${at}: ${k} twice`),
      ];
    });
    expect(wrong).toEqual([]);
  });

  it('describes each response, with a status code or default', () => {
    const wrong = operations.flatMap(({ at, op }) => {
      const statuses = Object.keys(op.responses);
      if (statuses.length === 0) return [`${at}: no response`];
      return statuses.filter((s) => !/^([1-5]\d\d|default)$/.test(s) || typeof op.responses[s]!.description !== 'string').map((s) => `${at} ${s}`);
    });
    expect(wrong).toEqual([]);
  });

  it('answers every fault as application/problem+json, but where a client expects otherwise', () => {
    // /health and /ready answer their 503 as JSON for load balancers, /metrics as text for scrapers;
    // ECO expects {} for an unknown course.
    const own = new Set(['get /health 503', 'get /ready 503', 'get /metrics 503', 'get /ecoapi/tasks/{courseId} 404', 'get /ecoapi/{key}/tasks/{courseId} 404']);
    const wrong = operations.flatMap(({ at, op }) =>
      Object.entries(op.responses)
        // The console's pages answer their faults as pages: a person reads them.
        .filter(([s, r]) => (s === 'default' || Number(s) >= 400) && !own.has(`${at} ${s}`) && !(at.includes(' /console') && s !== 'default') && Object.keys(r.content ?? {}).join() !== 'application/problem+json')
        .map(([s]) => `${at} ${s}`),
    );
    expect(wrong).toEqual([]);
  });

  it('resolves every $ref within the document', () => {
    const refs = collect(doc, '$ref');
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((r) => typeof r.value !== 'string' || !resolves(r.value))).toEqual([]);
  });

  it('uses only security schemes, tags and x-routes it defines', () => {
    const schemes = Object.keys(doc.components.securitySchemes);
    const tags = doc.tags.map((t) => t.name);
    const wrong = operations.flatMap(({ at, op }) => [
      ...(op.security ?? []).flatMap((req) => Object.keys(req)).filter((s) => !schemes.includes(s)).map((s) => `${at}: scheme ${s}`),
      ...op.tags.filter((t) => !tags.includes(t)).map((t) => `${at}: tag ${t}`),
    ]);
    const routes = Object.values(doc.paths).flatMap((item) => (item['x-route'] === undefined ? [] : [item['x-route'] as string]));
    expect([...wrong, ...routes.filter((r) => !(r in doc.paths))]).toEqual([]);
    for (const scheme of ['lrsBasic', 'admin', 'ecoKey', 'edxToken', 'courseraWidget']) expect(schemes).toContain(scheme);
  });

  it('has schemas that are strict JSON Schema 2020-12, and examples that are valid against them', () => {
    const check = schemaChecker(doc);
    const parameters = operations.flatMap(({ at, op }) => op.parameters.map((p) => ({ at: `${at} ${p.in} ${p.name}`, schema: p.schema, example: p.example })));
    const examples = [...media, ...parameters].filter((m) => m.example !== undefined);
    expect(examples.length).toBeGreaterThan(40);
    // A schema without an example is still compiled: its errors start with "schema:".
    const wrong = [...media, ...parameters].flatMap((m) => check(m.schema, m.example ?? null).filter((e) => m.example !== undefined || e.startsWith('schema:')).map((e) => `${m.at}: ${e}`));
    expect(wrong).toEqual([]);
  });

  it('shows a valid xAPI statement, a readable edX batch, an admin course and an ECO progress answer', () => {
    const example = (at: string) => media.find((m) => m.at === at)?.example;
    const statements = example('post /xapi/statements body application/json') as unknown[];
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(validateStatement(s)).toEqual([]);
    expect(validateStatement(example('put /xapi/statements body application/json'))).toEqual([]);
    for (const [type, body] of [['application/json', JSON.stringify(example('post /ingest/edx body application/json'))], ['application/x-ndjson', example('post /ingest/edx body application/x-ndjson') as string]] as const) {
      const records = bodyRecords(body, type);
      expect(records.length).toBe(2);
      expect(records.every((r) => r.ok)).toBe(true);
    }
    expect(example('post /admin/courses body application/json')).toMatchObject({ id: expect.any(String), titles: expect.any(Object), published: expect.any(Boolean) });
    expect(example('get /ecoapi/{key}/users/{ecoUserId}/courses 200 application/json')).toEqual(example('get /ecoapi/users/{ecoUserId}/courses 200 application/json'));
    expect((example('get /ecoapi/users/{ecoUserId}/courses 200 application/json') as unknown[]).length).toBeGreaterThan(0);
  });

  it('takes the request schemas of the admin API and the Coursera widget from their validators, in 3.1 form', () => {
    const { $id: _course, ...course } = COURSE_SCHEMA;
    const { $id: _link, ...link } = LINK_SCHEMA;
    expect(doc.components.schemas.Course).toEqual(course);
    expect(doc.components.schemas.IdentityLink).toEqual(link);
    const body = (path: string, method: string) => (doc.paths[path]![method] as Operation).requestBody!.content['application/json']!.schema;
    expect(body('/admin/courses/{id}', 'put')).toEqual({ $ref: '#/components/schemas/Course' });
    expect(body('/admin/coursera/courses/{course}/settings', 'put')).toEqual({ $ref: '#/components/schemas/CourseraCourseSettings' });
    // ajv's OpenAPI 3.0 `nullable` becomes a null type: 3.1 has no such keyword.
    const settings = doc.components.schemas.CourseraCourseSettings as { properties: Record<string, { type?: unknown; nullable?: unknown }> };
    expect(COURSE_SETTINGS_SCHEMA.properties.previousCourseId.nullable).toBe(true);
    expect(settings.properties.previousCourseId).toMatchObject({ type: ['string', 'null'] });
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
  });

  it('is made in src/openapi/, which imports only its own files and types, and only src/openapi.ts imports', () => {
    const src = new URL('../src/', import.meta.url);
    const files = (dir: URL): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(new URL(`${e.name}/`, dir)).map((f) => `${e.name}/${f}`) : e.name.endsWith('.ts') ? [e.name] : []));
    const imports = (file: string) => [...readFileSync(new URL(file, src), 'utf8').matchAll(/^(import|export)( type)?\s[^'"]*?from\s*'(\.[^']+)'/gm)].map((m) => ({ type: m[2] !== undefined, target: m[3]! }));
    const own = files(src).filter((f) => f.startsWith('openapi/'));
    expect(own.length).toBeGreaterThan(8);
    const outward = own.flatMap((f) => imports(f).filter((i) => !i.type && !/^\.\/[\w-]+\.js$/.test(i.target)).map((i) => `${f} -> ${i.target}`));
    const inward = files(src).filter((f) => !f.startsWith('openapi/') && f !== 'openapi.ts').flatMap((f) => imports(f).filter((i) => /\/openapi\//.test(i.target)).map((i) => `${f} -> ${i.target}`));
    expect([...outward, ...inward]).toEqual([]);
  });
});
