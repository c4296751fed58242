/**
 * The OAI-PMH 2.0 provider: a checked request in, the XML document out. Errors are
 * answered inside the document (section 3.6). Lists are paged by (datestamp, id) with
 * signed tokens that freeze `until` at the first request, give `cursor` and
 * `completeListSize`, and end with an empty token in strict mode (none by default, for ECO).
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { OaiSet } from '../catalog/teachers.js';
import { parseBound, type OaiRequest } from './arguments.js';
import { OaiError } from './errors.js';
import { METADATA_FORMATS } from './formats.js';
import type { Selection } from '../catalog/record-headers.js';
import type { Detail, OaiRecord, RecordSource } from './records.js';
import type { ListState, TokenCodec } from './token.js';

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const OAI_ID = 'http://www.openarchives.org/OAI/2.0/oai-identifier';

/** What the provider serves from. */
export interface ProviderDeps {
  records: RecordSource;
  sets: () => Promise<OaiSet[]>;
  tokens: TokenCodec;
  repositoryId: string;
  repositoryName: string;
  adminEmail: string;
  pageSize: number;
  /** OAI-PMH to the letter (OAI_STRICT); otherwise as ECO harvests (eco.md). */
  strict: boolean;
}

/** Seconds granularity, as every datestamp is given (section 3.3). */
const utcSeconds = (iso: string | Date) => `${(typeof iso === 'string' ? iso : iso.toISOString()).slice(0, 19)}Z`;

/** The OAI-PMH document answering `request` (or the error it raised) at `baseUrl`. */
export async function respond(deps: ProviderDeps, request: OaiRequest | OaiError, baseUrl: string, now = new Date()): Promise<string> {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(OAI, 'OAI-PMH', {
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd`,
  });
  root.ele(OAI, 'responseDate').txt(utcSeconds(now));
  const echo = root.ele(OAI, 'request', request instanceof OaiError ? {} : { verb: request.verb, ...request.args }).txt(baseUrl);
  let body: XMLBuilder | undefined;
  const parts: string[] = [];
  const embed = (parent: XMLBuilder, part: XMLBuilder) => {
    parent.com(String(parts.length));
    parts.push(part.end({ headless: true, prettyPrint: false }));
  };
  try {
    if (request instanceof OaiError) throw request;
    body = root.ele(OAI, request.verb);
    await VERB_HANDLERS[request.verb](deps, request.args, body, { now, baseUrl, embed });
  } catch (err) {
    if (!(err instanceof OaiError)) throw err;
    body?.remove();
    // The request echoes its arguments only when they were good (section 3.2).
    if (!(request instanceof OaiError) && (err.code === 'badVerb' || err.code === 'badArgument')) echo.removeAtt(['verb', ...Object.keys(request.args)]);
    root.ele(OAI, 'error', { code: err.code }).txt(err.message);
  }
  // Only `embed` writes comments: text and attributes cannot hold an unescaped `<!--`.
  const xml = doc.end({ prettyPrint: false }).replace(/<!--(\d+)-->/g, (_, i: string) => parts[Number(i)]!);
  // A CR must survive XML parsing: ECO splits vCards on CRLF.
  return xml.replace(/\r/g, '&#xD;');
}

/** When and where a request is answered. */
interface RequestContext {
  now: Date;
  baseUrl: string;
  /**
   * Puts a document serialized on its own into `parent`. A serializer leaves out the
   * namespace declarations an ancestor already made (DOM Parsing 3.2.1.1), so a record's
   * metadata written in place could not be cut out and parsed alone (section 2.5 allows
   * harvesters to do so); written apart, it declares every namespace it uses.
   */
  embed: (parent: XMLBuilder, part: XMLBuilder) => void;
}

type Handler = (deps: ProviderDeps, args: Record<string, string>, body: XMLBuilder, ctx: RequestContext) => Promise<void>;

/** The local id of `oai:<repository>:<id>`, or idDoesNotExist. */
function localId(deps: ProviderDeps, identifier: string): string {
  const prefix = `oai:${deps.repositoryId}:`;
  if (!identifier.startsWith(prefix) || identifier.length === prefix.length) throw new OaiError('idDoesNotExist', `${identifier} is not an identifier of this repository`);
  return identifier.slice(prefix.length);
}

function format(prefix: string) {
  const f = Object.hasOwn(METADATA_FORMATS, prefix) ? METADATA_FORMATS[prefix] : undefined;
  if (f === undefined) throw new OaiError('cannotDisseminateFormat', `${prefix} is not a metadata format of this repository`);
  return f;
}

/** How records of a format are read: with the uploaded image only when the format shows it. */
const metadataDetail = (prefix: string): Exclude<Detail, 'header'> => (METADATA_FORMATS[prefix]?.usesImage === true ? 'image' : 'metadata');

function header(deps: ProviderDeps, parent: XMLBuilder, r: OaiRecord): void {
  const h = parent.ele(OAI, 'header', r.deleted ? { status: 'deleted' } : {});
  h.ele(OAI, 'identifier').txt(`oai:${deps.repositoryId}:${r.id}`);
  h.ele(OAI, 'datestamp').txt(utcSeconds(r.datestamp));
  for (const spec of r.sets) h.ele(OAI, 'setSpec').txt(spec);
}

function record(deps: ProviderDeps, parent: XMLBuilder, r: OaiRecord, prefix: string, ctx: RequestContext): void {
  const el = parent.ele(OAI, 'record');
  header(deps, el, r);
  if (r.deleted || r.course === undefined) return;
  const metadata = create();
  format(prefix).write(metadata, { course: r.course, teachers: r.teachers ?? [], identifier: `oai:${deps.repositoryId}:${r.id}`, ...(r.image && { image: r.image }) });
  ctx.embed(el.ele(OAI, 'metadata'), metadata);
}

/** The local part shown while the catalogue holds no course to name: an edX course id's form. */
const PLACEHOLDER_ID = 'course-v1:Org+Course+Run';

/**
 * Identify's sample: the identifier of a live record of this repository (course ids are
 * checked to form an oai-identifier when stored, catalog/schemas.ts), else a placeholder.
 */
async function sampleIdentifier(deps: ProviderDeps, now: Date): Promise<string> {
  const first = await deps.records.page({ before: now.toISOString() }, undefined, 20, 'header');
  const live = first.find((r) => !r.deleted);
  return `oai:${deps.repositoryId}:${live?.id ?? PLACEHOLDER_ID}`;
}

const identify: Handler = async (deps, _args, body, { now, baseUrl, embed }) => {
  const earliest = await deps.records.earliest();
  body.ele(OAI, 'repositoryName').txt(deps.repositoryName);
  body.ele(OAI, 'baseURL').txt(baseUrl);
  body.ele(OAI, 'protocolVersion').txt('2.0');
  body.ele(OAI, 'adminEmail').txt(deps.adminEmail);
  // An empty repository still answers with a datestamp that bounds every future one.
  body.ele(OAI, 'earliestDatestamp').txt(utcSeconds(earliest ?? new Date()));
  body.ele(OAI, 'deletedRecord').txt('persistent');
  body.ele(OAI, 'granularity').txt('YYYY-MM-DDThh:mm:ssZ');
  const description = create();
  const id = description.ele(OAI_ID, 'oai-identifier', { 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd` });
  id.ele(OAI_ID, 'scheme').txt('oai');
  id.ele(OAI_ID, 'repositoryIdentifier').txt(deps.repositoryId);
  id.ele(OAI_ID, 'delimiter').txt(':');
  id.ele(OAI_ID, 'sampleIdentifier').txt(await sampleIdentifier(deps, now));
  embed(body.ele(OAI, 'description'), description);
};

const listMetadataFormats: Handler = async (deps, args, body) => {
  if (args.identifier !== undefined && (await deps.records.get(localId(deps, args.identifier))) === undefined) {
    throw new OaiError('idDoesNotExist', `${args.identifier} is not in this repository`);
  }
  // Every record, deleted ones included, can be disseminated in every format: noMetadataFormats cannot arise.
  for (const f of Object.values(METADATA_FORMATS)) {
    const el = body.ele(OAI, 'metadataFormat');
    el.ele(OAI, 'metadataPrefix').txt(f.prefix);
    el.ele(OAI, 'schema').txt(f.schema);
    el.ele(OAI, 'metadataNamespace').txt(f.namespace);
  }
};

const listSets: Handler = async (deps, args, body) => {
  // Every set fits on one page, so this repository never issues a ListSets token.
  if (args.resumptionToken !== undefined) throw new OaiError('badResumptionToken', 'this repository issues no ListSets tokens');
  const sets = await deps.sets();
  if (sets.length === 0) throw new OaiError('noSetHierarchy', 'this repository has no sets');
  for (const s of sets) {
    const el = body.ele(OAI, 'set');
    el.ele(OAI, 'setSpec').txt(s.spec);
    el.ele(OAI, 'setName').txt(s.name);
  }
};

const getRecord: Handler = async (deps, args, body, ctx) => {
  const prefix = args.metadataPrefix!;
  const r = await deps.records.get(localId(deps, args.identifier!), metadataDetail(prefix));
  if (r === undefined) throw new OaiError('idDoesNotExist', `${args.identifier} is not in this repository`);
  format(prefix);
  record(deps, body, r, prefix, ctx);
};

/** The state of a list: from the token, or from the arguments of a first request. */
async function listState(deps: ProviderDeps, verb: string, args: Record<string, string>, now: Date): Promise<ListState> {
  if (args.resumptionToken !== undefined) {
    const state = deps.tokens.decode(args.resumptionToken);
    if (state.verb !== verb) throw new OaiError('badResumptionToken', `the resumption token belongs to ${state.verb}`);
    if (args.metadataPrefix !== undefined && args.metadataPrefix !== state.prefix) {
      throw new OaiError('badArgument', 'metadataPrefix differs from the one of the resumption token');
    }
    return state;
  }
  const prefix = args.metadataPrefix!;
  const from = args.from === undefined ? undefined : parseBound('from', args.from);
  const until = args.until === undefined ? undefined : parseBound('until', args.until);
  if (from !== undefined && until !== undefined && from.granularity !== until.granularity) throw new OaiError('badArgument', 'from and until must have the same granularity');
  if (from !== undefined && until !== undefined && from.at > until.at) throw new OaiError('badArgument', 'from is after until');
  format(prefix);
  if (args.set !== undefined && (await deps.sets()).length === 0) throw new OaiError('noSetHierarchy', 'this repository has no sets');
  // until is inclusive at its granularity; without one, the list ends at the first request.
  const before = until === undefined ? now : new Date(until.at.getTime() + (until.granularity === 'day' ? 86_400_000 : 1000));
  const selection: Selection = { before: before.toISOString(), ...(from && { from: from.at.toISOString() }), ...(args.set !== undefined && { set: args.set }) };
  const completeListSize = await deps.records.count(selection);
  if (completeListSize === 0) throw new OaiError('noRecordsMatch', 'no record matches these arguments');
  return { verb, prefix, ...selection, afterDatestamp: '', afterId: '', cursor: 0, completeListSize };
}

function listHandler(verb: 'ListIdentifiers' | 'ListRecords'): Handler {
  return async (deps, args, body, ctx) => {
    const state = await listState(deps, verb, args, ctx.now);
    const selection: Selection = { before: state.before, ...(state.from && { from: state.from }), ...(state.set !== undefined && { set: state.set }) };
    const after = state.afterId === '' ? undefined : { datestamp: state.afterDatestamp, id: state.afterId };
    const rows = await deps.records.page(selection, after, deps.pageSize + 1, verb === 'ListRecords' ? metadataDetail(state.prefix) : 'header');
    const page = rows.slice(0, deps.pageSize);
    if (page.length === 0) throw new OaiError('noRecordsMatch', 'no record remains in this list');
    for (const r of page) (verb === 'ListRecords' ? record(deps, body, r, state.prefix, ctx) : header(deps, body, r));
    const more = rows.length > deps.pageSize;
    const first = args.resumptionToken === undefined;
    if (first && !more) return;
    const attrs = { cursor: String(state.cursor), completeListSize: String(state.completeListSize) };
    if (more) {
      const last = page.at(-1)!;
      const next: ListState = { ...state, afterDatestamp: last.datestamp, afterId: last.id, cursor: state.cursor + page.length };
      body.ele(OAI, 'resumptionToken', attrs).txt(deps.tokens.encode(next));
    } else if (deps.strict) {
      // The last page of a resumed list ends with an empty token (section 3.5); ECO fails on it and loses that page.
      body.ele(OAI, 'resumptionToken', attrs);
    }
  };
}

const VERB_HANDLERS: Record<OaiRequest['verb'], Handler> = {
  Identify: identify,
  ListMetadataFormats: listMetadataFormats,
  ListSets: listSets,
  GetRecord: getRecord,
  ListIdentifiers: listHandler('ListIdentifiers'),
  ListRecords: listHandler('ListRecords'),
};
