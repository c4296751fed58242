import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { PGlite } from '@electric-sql/pglite';
import request from 'supertest';
import { adminRouter } from '../src/catalog/admin-routes.js';
import { EmbeddedStatementQuery } from '../src/lrs/server/statement-reader.js';
import { courseraReportsRouter } from '../src/reports/coursera/routes.js';
import { futurelearnReportsRouter } from '../src/reports/futurelearn/routes.js';
import { createApp } from '../src/app.js';
import { openDatabase } from '../src/db/connection.js';
import { DeliveryStats } from '../src/lrs/delivery-stats.js';
import { Outbox } from '../src/lrs/outbox.js';
import { readVideoStats } from '../src/ingest/futurelearn/side-tables.js';

describe('/openapi.json', () => {
  it('describes every admin route the app serves, with the schemas that validate their bodies', async () => {
    const database = await openDatabase({ pglite: new PGlite() });
    const app = createApp({ database, outbox: new Outbox(database, { baseMs: 1, maxMs: 1, maxAttempts: 1 }), stats: new DeliveryStats(), logger: pino({ level: 'silent' }), lrsUsers: new Map(), bodyLimitBytes: 1024 * 1024 });
    const res = await request(app).get('/openapi.json').expect(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>>; components: { schemas: Record<string, { required?: string[] }> } };
    expect(doc.openapi).toBe('3.1.0');
    // Every route of the admin router is described, with its method.
    const admin = adminRouter({ database, adminToken: undefined, bodyLimitBytes: 1024 });
    const routes = admin.stack.flatMap((layer) => (layer.route ? Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods).map((m) => [`/admin${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`, m]) : []));
    expect(routes.length).toBeGreaterThan(15);
    for (const [path, method] of routes) expect(doc.paths[path!], `${method} ${path}`).toHaveProperty([method!]);
    // And every route of the Coursera widget router.
    const coursera = courseraReportsRouter({ database, statements: new EmbeddedStatementQuery(database), widgetTokens: new Map(), adminToken: undefined, pseudonymSecret: 'x'.repeat(16) });
    const courseraRoutes = coursera.stack.flatMap((layer) => (layer.route ? Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods).map((m) => [layer.route!.path.replace(/:(\w+)/g, '{$1}'), m]) : []));
    expect(courseraRoutes.length).toBe(6);
    for (const [path, method] of courseraRoutes) expect(doc.paths[path!], `${method} ${path}`).toHaveProperty([method!]);
    // And of the FutureLearn reports.
    const futurelearn = futurelearnReportsRouter({ videoStats: (key) => readVideoStats(database, key), statements: new EmbeddedStatementQuery(database), adminToken: undefined });
    const futurelearnRoutes = futurelearn.stack.flatMap((layer) => (layer.route ? Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods).map((m) => [layer.route!.path.replace(/:(\w+)/g, '{$1}'), m]) : []));
    expect(futurelearnRoutes.length).toBe(2);
    for (const [path, method] of futurelearnRoutes) expect(doc.paths[path!], `${method} ${path}`).toHaveProperty([method!]);
    for (const path of ['/admin/courses/{id}', '/oai', '/ecoapi/users/{ecoUserId}/courses', '/ingest/edx', '/xapi/statements']) expect(doc.paths).toHaveProperty([path]);
    expect(doc.paths['/admin/courses/{id}']!.put!.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Course' } } } });
    expect(doc.components.schemas.Course!.required).toEqual(['id', 'platform', 'platformCourseId', 'titles']);
    await database.close();
  });
});
