/**
 * The embedded LRS at `/xapi` (xAPI Communication §2): statements, activities, agents,
 * the three document resources and About. Other methods on these paths answer 405 with
 * `Allow`; every method may also come as a POST with `method=` (alternate syntax, §1.3).
 */
import { json, ref, type Operation, type Param, type PathTable } from './kit.js';

const VERSION: Param = {
  name: 'X-Experience-API-Version', required: true, example: '1.0.3',
  description: '1.0.x or 2.0.x: the rules the request is read and answered by; every response names the version served',
};
const SECURED = { security: ['lrsBasic' as const], headers: [VERSION] };

/** A statement as a learning platform's event becomes one: pseudonymous actor, course as parent. */
export const STATEMENT_EXAMPLE = {
  id: '6fbd4a0e-3a56-5b0c-9d7e-2f1c8a4b9e10',
  actor: { objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: '3b1f0c9e5d7a2b4c6e8f0a1b3c5d7e9f' } },
  verb: { id: 'https://w3id.org/xapi/video/verbs/played', display: { en: 'played' } },
  object: {
    objectType: 'Activity',
    id: 'https://lms.example.org/xblock/block-v1:OrgX+CS101+2026+type@video+block@0b9e39477cf34507a7a48f74be381fdd',
    definition: { type: 'https://w3id.org/xapi/video/activity-type/video', name: { en: 'What a program is' } },
  },
  result: { extensions: { 'https://w3id.org/xapi/video/extensions/time': 132.52 } },
  context: {
    contextActivities: { parent: [{ objectType: 'Activity', id: 'https://lms.example.org/courses/course-v1:OrgX+CS101+2026' }] },
    extensions: { 'https://w3id.org/xapi/video/extensions/session-id': 'f1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
  },
  timestamp: '2026-03-02T09:15:22.123Z',
};

/** The statement schemas of components.schemas: the LRS checks each statement fully and names the first field at fault. */
export const LRS_SCHEMAS = {
  Statement: {
    type: 'object',
    description: 'an xAPI statement (Data §2.4)',
    required: ['actor', 'verb', 'object'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      actor: { type: 'object' },
      verb: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uri' }, display: { type: 'object' } } },
      object: { type: 'object' },
      result: { type: 'object' },
      context: { type: 'object' },
      timestamp: { type: 'string' },
      attachments: { type: 'array', items: { type: 'object' } },
    },
  },
  StatementResult: {
    type: 'object',
    required: ['statements', 'more'],
    properties: { statements: { type: 'array', items: ref('Statement') }, more: { type: 'string', description: 'the IRL of the next page, empty when none' } },
  },
} as const;

const ID = { type: 'string', format: 'uuid' };
const STATEMENT_QUERY: Param[] = [
  { name: 'statementId', description: 'one statement by id', schema: ID },
  { name: 'voidedStatementId', description: 'one voided statement by id', schema: ID },
  { name: 'agent', description: 'an Agent or Group as JSON: statements about it', example: '{"account":{"homePage":"https://lms.example.org","name":"3b1f0c9e5d7a2b4c6e8f0a1b3c5d7e9f"}}' },
  { name: 'verb', description: 'a verb IRI', example: 'https://w3id.org/xapi/video/verbs/played' },
  { name: 'activity', description: 'an activity IRI', example: 'https://lms.example.org/courses/course-v1:OrgX+CS101+2026' },
  { name: 'registration', description: 'a registration UUID', schema: ID },
  { name: 'related_activities', description: 'match the activity anywhere in the statement', schema: { type: 'boolean' } },
  { name: 'related_agents', description: 'match the agent anywhere in the statement', schema: { type: 'boolean' } },
  { name: 'since', description: 'stored after this time (ISO 8601)', example: '2026-03-01T00:00:00Z' },
  { name: 'until', description: 'stored at or before this time', example: '2026-04-01T00:00:00Z' },
  { name: 'limit', description: 'most statements per page (0: the server\'s maximum)', schema: { type: 'integer', minimum: 0 } },
  { name: 'format', description: 'ids, exact or canonical', schema: { type: 'string', enum: ['ids', 'exact', 'canonical'] } },
  { name: 'attachments', description: 'answer multipart/mixed with the attachments\' data', schema: { type: 'boolean' } },
  { name: 'ascending', description: 'oldest first', schema: { type: 'boolean' } },
  { name: 'more', description: 'the token of a `more` IRL' },
];

const STATEMENT_BODY = {
  description: 'application/json, or multipart/mixed with the attachments\' data after the statements',
  content: {
    'application/json': { schema: { oneOf: [ref('Statement'), { type: 'array', items: ref('Statement') }] }, example: [STATEMENT_EXAMPLE] },
    'multipart/mixed': { schema: { type: 'string' } },
  },
};

/** The three document resources (§2.2, §2.3, §2.7) and the parameters that name a document. */
const DOCUMENTS: Record<string, { what: string; id: string; params: Param[] }> = {
  '/xapi/activities/state': {
    what: 'state document of a learner in an activity', id: 'stateId',
    params: [
      { name: 'activityId', required: true, description: 'the activity IRI' },
      { name: 'agent', required: true, description: 'the Agent as JSON' },
      { name: 'registration', description: 'a registration UUID', schema: ID },
    ],
  },
  '/xapi/activities/profile': { what: 'activity profile document', id: 'profileId', params: [{ name: 'activityId', required: true, description: 'the activity IRI' }] },
  '/xapi/agents/profile': { what: 'agent profile document', id: 'profileId', params: [{ name: 'agent', required: true, description: 'the Agent as JSON' }] },
};

function documentPaths(): PathTable {
  const preconditions: Param[] = [
    { name: 'If-Match', description: 'the ETag the document must have' },
    { name: 'If-None-Match', description: '`*`: only when there is no document' },
  ];
  return Object.fromEntries(
    Object.entries(DOCUMENTS).map(([path, d]) => {
      const id: Param = { name: d.id, description: `the ${d.what}'s id` };
      const named = [...d.params, { ...id, required: true }];
      const write = (merge: boolean): Operation => ({
        ...SECURED,
        headers: [VERSION, ...preconditions],
        summary: merge ? `merge JSON into a ${d.what}` : `store a ${d.what}`,
        query: named,
        body: { content: { 'application/json': { schema: { type: 'object' }, example: { bookmark: 'week_1/unit_3', volume: 0.8 } }, 'application/octet-stream': { schema: { type: 'string' } } } },
        responses: { 204: 'stored', 400: 'a parameter or the body is wrong', 409: 'a precondition is needed (the document exists)', 412: 'the precondition failed' },
      });
      return [path, {
        get: {
          ...SECURED,
          summary: `one ${d.what} (with ${d.id}), or the ids of them all (without, since= to narrow)`,
          query: [...d.params, id, { name: 'since', description: 'ids of documents changed after this time' }],
          responses: { 200: { description: 'the document with its ETag, or a JSON array of ids', content: { '*/*': { schema: {} } } }, 400: 'a parameter is wrong', 404: 'no such document' },
        },
        put: write(false),
        post: write(true),
        delete: {
          ...SECURED, headers: [VERSION, ...preconditions],
          summary: d.id === 'stateId' ? 'delete one state document, or all of a learner in an activity (without stateId)' : `delete a ${d.what}`,
          query: d.id === 'stateId' ? [...d.params, id] : named,
          responses: { 204: 'deleted', 400: 'a parameter is wrong', 412: 'the precondition failed' },
        },
      }];
    }),
  );
}

/** The paths of `/xapi`. */
export const LRS_PATHS: PathTable = {
  '/xapi/about': {
    get: {
      summary: 'the xAPI versions served; no credentials, no version header',
      responses: { 200: json('the About document', { type: 'object', required: ['version'], properties: { version: { type: 'array', items: { type: 'string' } }, extensions: { type: 'object' } } }, { version: ['1.0.3', '2.0.0'] }) },
    },
  },
  '/xapi/statements': {
    get: {
      ...SECURED,
      summary: 'one statement (statementId, voidedStatementId) or a page of them by filters',
      description: 'Last-Modified is the latest `stored` returned; X-Experience-API-Consistent-Through on every answer.',
      query: STATEMENT_QUERY,
      responses: {
        200: { description: 'a StatementResult, or one statement', content: { 'application/json': { schema: { anyOf: [ref('StatementResult'), ref('Statement')] }, example: { statements: [STATEMENT_EXAMPLE], more: '' } }, 'multipart/mixed': { schema: { type: 'string' } } } },
        400: 'a parameter is wrong, or filters are mixed with statementId',
        404: 'no statement with this id (or it is voided)',
      },
    },
    put: {
      ...SECURED,
      summary: 'store one statement under its id',
      query: [{ name: 'statementId', required: true, description: 'the id of the statement in the body', schema: ID }],
      body: { ...STATEMENT_BODY, content: { ...STATEMENT_BODY.content, 'application/json': { schema: ref('Statement'), example: STATEMENT_EXAMPLE } } },
      responses: { 204: 'stored (or the same statement was already)', 400: 'the statement is not valid: the detail names the field', 409: 'another statement has this id', 413: 'the body is larger than BODY_LIMIT' },
    },
    post: {
      ...SECURED,
      summary: 'store one statement or an array of them',
      body: STATEMENT_BODY,
      responses: {
        200: json('the ids, in order', { type: 'array', items: ID }, [STATEMENT_EXAMPLE.id]),
        400: 'a statement is not valid: the detail names it and the field',
        409: 'another statement has one of these ids',
        413: 'more statements than LRS_MAX_STATEMENTS, or a body over BODY_LIMIT: split it',
      },
    },
  },
  '/xapi/activities': {
    get: {
      ...SECURED,
      summary: 'an Activity with the canonical definition the LRS holds',
      query: [{ name: 'activityId', required: true, description: 'the activity IRI', example: 'https://lms.example.org/courses/course-v1:OrgX+CS101+2026' }],
      responses: { 200: json('the Activity', { type: 'object', required: ['objectType', 'id'], properties: { objectType: { const: 'Activity' }, id: { type: 'string' }, definition: { type: 'object' } } }, { objectType: 'Activity', id: 'https://lms.example.org/courses/course-v1:OrgX+CS101+2026' }), 400: 'activityId missing or not an IRI' },
    },
  },
  '/xapi/agents': {
    get: {
      ...SECURED,
      summary: 'the Person object of an Agent: what the Agent says, in arrays',
      query: [{ name: 'agent', required: true, description: 'the Agent as JSON' }],
      responses: { 200: json('the Person', { type: 'object', required: ['objectType'], properties: { objectType: { const: 'Person' }, ...Object.fromEntries(['name', 'mbox', 'mbox_sha1sum', 'openid', 'account'].map((k) => [k, { type: 'array' }])) } }, { objectType: 'Person', account: [{ homePage: 'https://lms.example.org', name: '3b1f0c9e5d7a2b4c6e8f0a1b3c5d7e9f' }] }), 400: 'agent missing, not JSON, or a Group' },
    },
  },
  ...documentPaths(),
};
