/**
 * Learner data rights under `/admin/learners` (ADMIN_TOKEN): find, export and erase one
 * learner by platform and platform user id (docs/learner-rights.md).
 */
import { json, type PathTable } from './kit.js';

const ADMIN = ['admin' as const];
const LEARNER = { platform: 'edx, coursera, futurelearn or khan', userId: 'the user id on the platform (edX: the numeric user id); never shown back' };
const PSEUDONYM = '5f2c0a8e6b1d4c3f9e7a2b8d0c6e4f1a3b5d7c9e0f2a4b6c8d0e2f4a6b8c0d2e';
const COUNT = { type: 'integer', minimum: 0 };

const FINDINGS = {
  type: 'object', required: ['platform', 'pseudonym', 'linked', 'places', 'total'],
  properties: {
    platform: { type: 'string' },
    pseudonym: { type: 'string', description: 'the account name of their statements' },
    linked: { type: 'boolean', description: 'an identity link names their ECO account; its statements are found too' },
    places: {
      type: 'array',
      items: {
        type: 'object', required: ['name', 'store', 'rows'],
        properties: {
          name: { type: 'string' }, store: { enum: ['gateway', 'lrs'] }, rows: COUNT,
          by: { type: 'object', additionalProperties: COUNT, description: 'the outbox by state, documents by kind' },
        },
      },
    },
    total: COUNT,
    erased: { type: 'object', properties: { at: { type: 'string' }, by: { type: 'string' } }, description: 'when they were erased before' },
  },
};

const REPORT = {
  type: 'object', required: ['platform', 'pseudonym', 'erasedAt', 'erased', 'total', 'external', 'notErased'],
  properties: {
    platform: { type: 'string' }, pseudonym: { type: 'string' }, erasedAt: { type: 'string' },
    erased: { type: 'object', additionalProperties: COUNT, description: 'rows erased, by place' },
    total: COUNT,
    external: {
      type: 'array', description: 'what the actor deletion of the external LRS erased there (LRS_ERASE_API)',
      items: { type: 'object', required: ['where', 'api', 'actors'], properties: { where: { type: 'string' }, api: { type: 'string', enum: ['sql-lrs', 'learning-locker'] }, actors: COUNT } },
    },
    notErased: {
      type: 'array', description: 'copies out of reach: statements already delivered to an external LRS that could not be erased there',
      items: { type: 'object', required: ['where', 'statements', 'reason'], properties: { where: { type: 'string' }, statements: COUNT, reason: { type: 'string' } } },
    },
  },
};

const FAULTS = { 400: 'an unknown platform, or a user id too long or not storable as text' };

/** The paths of learner data rights. */
export const LEARNERS_PATHS: PathTable = {
  '/admin/learners/{platform}/{userId}': {
    get: {
      summary: "where the gateway holds a learner's data, with counts",
      description: 'The outbox by state, the embedded LRS (statements, documents, attachments), profiles, identity links, platform tables and rejected records naming them.',
      security: ADMIN, path: LEARNER,
      responses: {
        200: json('the places and their rows', FINDINGS, {
          platform: 'edx', pseudonym: PSEUDONYM, linked: false, total: 5,
          places: [{ name: 'outbox', store: 'gateway', rows: 3, by: { sent: 3 } }, { name: 'lrs_statements', store: 'lrs', rows: 2 }],
        }),
        ...FAULTS,
      },
    },
    delete: {
      summary: 'erase a learner everywhere; later imports, pulls and live events of theirs are dropped',
      description: 'Each store in one transaction; statements referring to theirs and their attachments go too. The erasure is recorded by pseudonym, never the id.',
      security: ADMIN, path: LEARNER,
      responses: {
        200: json('what was erased, and what could not be', REPORT, {
          platform: 'edx', pseudonym: PSEUDONYM, erasedAt: '2026-12-06T12:00:00.000Z', total: 5,
          erased: { outbox: 3, rejected_records: 0, learner_profiles: 0, identity_links: 0, lrs_statements: 2, lrs_documents: 0, lrs_attachments: 0 }, external: [], notErased: [],
        }),
        ...FAULTS,
      },
    },
  },
  '/admin/learners/{platform}/{userId}/export': {
    get: {
      summary: 'everything held of a learner as one .tar.gz archive: statements as NDJSON, tables as CSV, a README.txt',
      security: ADMIN, path: LEARNER,
      responses: {
        200: { description: 'the archive', content: { 'application/gzip': { schema: { type: 'string', contentMediaType: 'application/gzip' } } }, headers: { 'Content-Disposition': 'attachment; filename=learner-<platform>.tar.gz' } },
        ...FAULTS,
      },
    },
  },
};
