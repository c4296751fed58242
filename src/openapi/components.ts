/**
 * What every area shares: how a fault looks, and who may call what. The schemes name
 * the settings that hold their secrets; the secrets themselves never appear here.
 */

/** The body of every fault (src/http/errors.ts): RFC 9457, with the admin API's list of bad fields. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', const: 'about:blank' },
    title: { type: 'string', description: 'the HTTP reason phrase of the status' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'what is wrong, naming the field, parameter or setting; never a secret or a stack trace' },
    field: { type: 'string', description: 'the field or parameter at fault, where one is' },
    errors: {
      type: 'array',
      description: 'every bad field of an admin input, at once',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', description: 'a JSON pointer, e.g. /titles/en, or a header name' }, message: { type: 'string' } },
      },
    },
  },
} as const;

/** The security schemes, by the names the operations use. */
export const SECURITY_SCHEMES = {
  lrsBasic: { type: 'http', scheme: 'basic', description: 'a user of LRS_USERS ("user:password,..."), or a credential made with the `credentials` command' },
  admin: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <ADMIN_TOKEN>; unset, the admin API and the reports are off' },
  adminBasic: { type: 'http', scheme: 'basic', description: 'user `admin`, password ADMIN_TOKEN: a browser asks for these itself' },
  ecoKey: {
    type: 'http', scheme: 'bearer',
    description: 'a key of ECO_API_KEYS. ECO\'s own client sends no header: it puts the key in the path, /ecoapi/{key}/..., as the paths with {key} show',
  },
  ecoKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'a key of ECO_API_KEYS' },
  edxToken: { type: 'http', scheme: 'bearer', description: 'a token of EDX_INGEST_TOKENS ("token:instance,..."); the instance name goes into the import run' },
  courseraWidget: { type: 'http', scheme: 'bearer', description: 'a token of COURSERA_WIDGET_TOKENS, or ADMIN_TOKEN' },
  consoleSession: { type: 'apiKey', in: 'cookie', name: 'console_session', description: 'the session of the operator console, set by signing in at /console/sign-in with ADMIN_TOKEN' },
} as const;

/** The areas, in the order a reader meets them. */
export const TAGS = [
  { name: 'lrs', description: 'The embedded LRS (xAPI 1.0.3 and 2.0.0) at /xapi, when LRS_ENDPOINT is unset' },
  { name: 'ingest', description: 'Live edX tracking events' },
  { name: 'admin', description: 'The catalogue: courses, teachers, OAI sets, identity links (ADMIN_TOKEN)' },
  { name: 'learners', description: "A learner's data rights: find, export and erase by platform user id (ADMIN_TOKEN)" },
  { name: 'catalog', description: 'Course images: uploaded under /admin, public at /catalog' },
  { name: 'eco', description: 'The ECO REST API (ECO_API_KEYS)' },
  { name: 'oai', description: 'The OAI-PMH 2.0 provider that ECO and other portals harvest' },
  { name: 'reports', description: 'edX, FutureLearn and Coursera reports, the FutureLearn dashboard and the Coursera widget' },
  { name: 'health', description: 'Liveness, readiness, metrics and this document' },
  { name: 'console', description: 'The operator console: HTML pages for a browser, signed in with ADMIN_TOKEN' },
] as const;
