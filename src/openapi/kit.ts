/**
 * The shapes the OpenAPI tables of each area are written in, and the one function that
 * expands a table into OpenAPI 3.1 path items: path parameters from the template, the
 * security alternatives, and the faults every guarded route shares, so that no area
 * file repeats them. This folder imports nothing of the rest of `src/`: the schemas that
 * validate requests are handed in by `src/openapi.ts`.
 */

/** A scheme of `components.securitySchemes` (see ./components.ts). */
export type Scheme = 'lrsBasic' | 'admin' | 'adminBasic' | 'ecoKey' | 'ecoKeyHeader' | 'edxToken' | 'courseraWidget' | 'consoleSession';

/** The methods the app serves (HEAD comes with GET). */
export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** A query or header parameter. */
export interface Param {
  name: string;
  description: string;
  required?: boolean;
  /** Default `{ type: 'string' }`. */
  schema?: object;
  example?: unknown;
}

/** A body of one media type: its schema and an example that validates against it. */
export interface Media {
  schema: object;
  example?: unknown;
}

/** A response; a bare string for a status of 400 or more is a problem document. */
export interface Answer {
  description: string;
  content?: Record<string, Media>;
  /** Header name → what it says. */
  headers?: Record<string, string>;
}

/** One operation of a path. */
export interface Operation {
  summary: string;
  description?: string;
  /** Alternatives: any one of them is enough. Unset: open to anyone. */
  security?: Scheme[];
  query?: Param[];
  headers?: Param[];
  /** What each path parameter is; every `{name}` of the template is declared, described or not. */
  path?: Record<string, string>;
  body?: { description?: string; content: Record<string, Media> };
  responses: Record<string, string | Answer>;
}

/** The operations of one path; `route` names the express route that serves an alias path. */
export type PathItem = Partial<Record<Method, Operation>> & { route?: string };

/** The paths of one area. */
export type PathTable = Record<string, PathItem>;

const METHODS: readonly Method[] = ['get', 'put', 'post', 'patch', 'delete'];

/** A `$ref` to a schema of `components.schemas`. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON answer. */
export const json = (description: string, schema: object, example?: unknown): Answer => ({
  description,
  content: { 'application/json': { schema, ...(example !== undefined && { example }) } },
});

/** A problem document (RFC 9457), as src/http/errors.ts writes every fault. */
export const problem = (description: string, example?: object): Answer => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem'), ...(example !== undefined && { example }) } },
});

/** A JSON request body. */
export const jsonBody = (schema: object, example: unknown, description?: string): NonNullable<Operation['body']> => ({
  ...(description !== undefined && { description }),
  content: { 'application/json': { schema, example } },
});

/** What every route behind credentials may answer besides its own. */
const GUARDED: Record<string, Answer> = {
  401: problem('credentials missing or not accepted, or this part is off (the detail names the setting); WWW-Authenticate names the scheme', {
    type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'the admin token is required',
  }),
  429: { ...problem('too many refused credentials from this client address'), headers: { 'Retry-After': 'seconds until this client may try again' } },
};

/** What any route may answer when the server cannot. */
const DEFAULT: Answer = {
  ...problem('a fault of the server: 503 while the database is unavailable (with Retry-After), else 500 with a generic detail', {
    type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the database is unavailable; retry later',
  }),
};

function answer(status: string, given: string | Answer): object {
  const a: Answer = typeof given !== 'string' ? given : Number(status) >= 400 ? problem(given) : { description: given };
  return {
    description: a.description,
    ...(a.headers && { headers: Object.fromEntries(Object.entries(a.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }),
    ...(a.content && { content: a.content }),
  };
}

function parameter(where: 'path' | 'query' | 'header', p: Param): object {
  return {
    name: p.name,
    in: where,
    description: p.description,
    required: where === 'path' || p.required === true,
    schema: p.schema ?? { type: 'string' },
    ...(p.example !== undefined && { example: p.example }),
  };
}

/** The names of the `{parameters}` of a path template, in order. */
export function templateParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function operation(path: string, tag: string, op: Operation): object {
  // The console sends a person without a session to its sign-in page, not a 401.
  const guarded = op.security !== undefined && !op.security.includes('consoleSession');
  const responses: Record<string, string | Answer> = { ...(guarded && GUARDED), ...op.responses, default: DEFAULT };
  return {
    tags: [tag],
    summary: op.summary,
    ...(op.description !== undefined && { description: op.description }),
    ...(op.security && { security: op.security.map((scheme) => ({ [scheme]: [] })) }),
    parameters: [
      ...templateParams(path).map((name) => parameter('path', { name, description: op.path?.[name] ?? name })),
      ...(op.query ?? []).map((p) => parameter('query', p)),
      ...(op.headers ?? []).map((p) => parameter('header', p)),
    ],
    ...(op.body && { requestBody: { required: true, ...op.body } }),
    responses: Object.fromEntries(Object.entries(responses).map(([status, a]) => [status, answer(status, a)])),
  };
}

/**
 * The OpenAPI path items of one area, its operations tagged with the area.
 * @example expandPaths(ECO_PATHS, 'eco')['/ecoapi/heartbeat'].get.security // [{ ecoKey: [] }, { ecoKeyHeader: [] }]
 */
export function expandPaths(table: PathTable, tag: string): Record<string, object> {
  return Object.fromEntries(
    Object.entries(table).map(([path, { route, ...ops }]) => [
      path,
      {
        ...(route !== undefined && { 'x-route': route }),
        ...Object.fromEntries(METHODS.flatMap((m) => (ops[m] ? [[m, operation(path, tag, ops[m])]] : []))),
      },
    ]),
  );
}
