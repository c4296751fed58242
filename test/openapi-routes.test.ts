/**
 * /openapi.json against the app itself: every route of the app with every part on (the
 * express router stack, walked through every mounted router) is described with its
 * method, and every described path is a route the app still serves.
 */
import express, { Router } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './support/databases.js';
import { fullApp } from './support/full-app.js';

/** A layer of express 5's router (router 2.x): a route, or a mounted router or middleware. */
interface Layer {
  rawPath?: string | string[];
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** express's `:param` as OpenAPI's `{param}`, without a trailing slash. */
function openApiPath(path: string): string {
  const normal = path.replace(/:(\w+)/g, '{$1}').replace(/\/+/g, '/');
  return normal.length > 1 ? normal.replace(/\/$/, '') : normal;
}

/** Every `method path` the stack serves; `all()` routes (405 answers) are not operations. */
function routesOf(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m} ${openApiPath(prefix + layer.route!.path)}`);
    }
    if (!layer.handle.stack) return [];
    const mounts = layer.rawPath === undefined ? ['/'] : [layer.rawPath].flat();
    return mounts.flatMap((mount) => routesOf(layer.handle.stack!, prefix + (mount === '/' ? '' : mount)));
  });
}

/** Every `method route` the document describes; an alias path counts as the route of its x-route. */
function describedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => {
    const route = typeof item['x-route'] === 'string' ? item['x-route'] : path;
    return ['get', 'put', 'post', 'patch', 'delete'].filter((m) => m in item).map((m) => `${m} ${route}`);
  });
}

describe('the router walk', () => {
  it('finds routes of mounted routers under their mount paths, with {params}', () => {
    const app = express();
    const inner = Router();
    inner.get('/', () => undefined);
    inner.put('/items/:id', () => undefined);
    inner.all('/items/:id', () => undefined);
    const outer = Router();
    outer.post('/:course/:run.json', () => undefined);
    app.use('/inner', inner);
    app.use(outer);
    app.get('/health', () => undefined);
    const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
    expect(routesOf(stack).sort()).toEqual(['get /health', 'get /inner', 'post /{course}/{run}.json', 'put /inner/items/{id}']);
  });
});

describe('/openapi.json', () => {
  let t: TestDatabase;
  let served: string[];
  let described: string[];

  beforeAll(async () => {
    t = await freshDatabase('pglite');
    const app = await fullApp(t.database);
    served = [...new Set(routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack))].sort();
    const res = await request(app).get('/openapi.json').expect(200);
    described = describedRoutes(res.body as { paths: Record<string, Record<string, unknown>> }).sort();
  });
  afterAll(() => t.drop());

  it('describes every route the app serves, and only those', () => {
    // The walk sees every area; were it blind to one, this test would pass on nothing.
    for (const route of ['get /xapi/statements', 'post /ingest/edx', 'put /admin/courses/{id}', 'get /ecoapi/users/{ecoUserId}/courses', 'post /oai', 'get /reports/edx/{report}', 'get /metrics']) {
      expect(served).toContain(route);
    }
    const missing = served.filter((r) => !described.includes(r));
    const gone = described.filter((r) => !served.includes(r));
    expect({ 'served but not described': missing, 'described but not served': gone }).toEqual({ 'served but not described': [], 'described but not served': [] });
  });
});
