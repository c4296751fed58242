/**
 * The app with every part configured (admin, images, OAI-PMH, reports, the Coursera
 * widget, ECO, live edX), as `serve` builds it when every setting is given: what
 * /openapi.json must describe, route by route.
 */
import type { Database } from '../../src/db/connection.js';
import { loadConfig } from '../../src/config/index.js';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { oaiProvider } from '../../src/oai-pmh/routes.js';
import { edxTranslateOptions } from '../../src/pipelines/edx.js';
import { reportOptions } from '../../src/reports/edx/reports.js';
import { testApp } from './embedded-lrs.js';

/** The secrets the full app accepts. */
export const FULL_APP = {
  adminToken: 'admin-token-for-openapi-tests',
  ecoKey: 'eco-key-for-openapi-tests',
  edxToken: 'edx-token-for-openapi-tests',
  widgetToken: 'widget-token-for-openapi-tests',
  repositoryId: 'eco.example.org',
  lmsUrl: 'https://lms.example.org/',
  secret: 'pseudonym-secret-for-openapi-tests',
};

/** The app of `database` with every part on. */
export async function fullApp(database: Database): Promise<ReturnType<typeof testApp>> {
  const config = loadConfig({ PSEUDONYM_SECRET: FULL_APP.secret, EDX_LMS_URL: FULL_APP.lmsUrl, OAI_REPOSITORY_ID: FULL_APP.repositoryId });
  const statements = new EmbeddedStatementQuery(database);
  return testApp(database, {
    adminToken: FULL_APP.adminToken,
    learners: { config },
    courseImages: { limitBytes: 64 * 1024 },
    oai: await oaiProvider(database, config),
    reports: { statements, edxLmsUrl: FULL_APP.lmsUrl, repositoryId: FULL_APP.repositoryId, options: reportOptions(config) },
    futurelearnReports: { statements },
    courseraReports: { statements, widgetTokens: new Map([[FULL_APP.widgetToken, 'widget']]), pseudonymSecret: FULL_APP.secret },
    ecoApi: { keys: new Map([[FULL_APP.ecoKey, 'eco']]), statements, repositoryId: FULL_APP.repositoryId, pseudonymSecret: FULL_APP.secret, edxLmsUrl: FULL_APP.lmsUrl },
    edxIngest: { tokens: new Map([[FULL_APP.edxToken, 'lms-test']]), translate: edxTranslateOptions(config, FULL_APP.secret) },
  });
}
