/**
 * A batch of PUT or POST /statements made ready to store: validated whole, its
 * attachments checked against the data received (attachment-check.ts), and each
 * statement completed with the properties the LRS sets (Data §2.4.1 id, §2.4.7 timestamp,
 * §2.4.8 stored, §2.4.9 authority, §2.4.10 version). Any problem refuses the whole batch
 * with 400 before the database is touched (Communication §3.2.s3.b9).
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../../errors.js';
import { isoFromRfc3339 } from '../../xapi/formats.js';
import { formatIssues, validateStatement } from '../../xapi/index.js';
import type { Agent, Context, Statement, XapiVersion } from '../../xapi/types.js';
import { checkAttachments, type UsedPayload } from './attachment-check.js';
import type { AttachmentPayload } from './attachment-request.js';
import { timestampMillis } from './instant.js';
import { contextActivityList } from './statement-links.js';
import { VERSION_RULES } from './xapi-version.js';

/** The reserved verb of a voiding statement (Data §2.3.2). */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

/** Who stores the batch, what came with it, and for PUT the `statementId` parameter. */
export interface StoreOptions {
  /** The Agent of the credentials; it overwrites any authority sent (Data §2.4.9.s3.b4). */
  authority: Agent;
  /** PUT's `statementId`: the batch holds one statement, whose id must match (Communication §2.1.1.s3.b3). */
  putId?: string;
  /** Attachment data by SHA-2 from a `multipart/mixed` request; undefined for `application/json`. */
  payloads?: ReadonlyMap<string, AttachmentPayload>;
  /** The xAPI version whose rules apply (xapi-version.ts); default 1.0.3. */
  xapiVersion?: XapiVersion;
}

/** One statement ready to store. */
export interface Prepared {
  index: number;
  /** Where issues are reported: `statement` for PUT, `statements[i]` for POST. */
  prefix: string;
  input: Statement;
  full: Statement;
  /** `full` as JSON text. */
  json: string;
  /** The instant of `full.timestamp`, as UTC ISO. */
  timestamp: string;
  /** The received attachment data this statement uses. */
  payloads: UsedPayload[];
}

/** Issues listed in one 400 message at most; the rest are counted. */
const MAX_ISSUES = 20;

/** Validates the batch and completes each statement, `stored` at that UTC ISO instant; throws a coded error `invalid` on the first problem found. */
export function prepareBatch(statements: readonly unknown[], opts: StoreOptions, stored: string): Prepared[] {
  if (opts.putId !== undefined && statements.length !== 1) throw new CodedError('invalid', 'PUT stores exactly one statement');
  const version = opts.xapiVersion ?? '1.0.3';
  const prefixOf = (index: number) => (opts.putId !== undefined ? 'statement' : `statements[${index}]`);
  const issues = statements.flatMap((s, index) =>
    validateStatement(s, version).map((issue) => ({ ...issue, path: prefixPath(prefixOf(index), issue.path) })),
  );
  if (issues.length > 0) {
    const more = issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more issues` : '';
    throw new CodedError('invalid', formatIssues(issues.slice(0, MAX_ISSUES)) + more);
  }
  const seen = new Map<string, number>();
  const ids = (statements as readonly Statement[]).map((input, index) => {
    const id = (input.id ?? opts.putId ?? randomUUID()).toLowerCase();
    if (opts.putId !== undefined && id !== opts.putId.toLowerCase()) {
      throw new CodedError('invalid', `${prefixOf(index)}.id: must equal the statementId parameter`);
    }
    const first = seen.get(id);
    // Communication §2.1.2.s2.b6: a batch repeating an id is rejected.
    if (first !== undefined) throw new CodedError('invalid', `${prefixOf(index)}.id: repeats the id of statements[${first}]`);
    seen.set(id, index);
    return id;
  });
  const received = (statements as readonly Statement[]).map((input, index) => ({ statement: { ...input, id: ids[index]! }, prefix: prefixOf(index) }));
  const payloads = checkAttachments(received, opts.payloads, version);
  const batch = (statements as readonly Statement[]).map((input, index) => {
    const prefix = prefixOf(index);
    const full = complete(input, ids[index]!, stored, opts.authority, VERSION_RULES[version].statementVersion);
    // Valid statements are storable (U+0000, lone surrogates, depth, range: src/xapi/storable.ts).
    const json = JSON.stringify(full);
    const instant = timestampMillis(full.timestamp!);
    if (Number.isNaN(instant)) throw new CodedError('invalid', `${prefix}.timestamp: must be an ISO 8601 timestamp with a time zone`);
    return { index, prefix, input, full, json, timestamp: new Date(instant).toISOString(), payloads: payloads[index]! };
  });
  refuseVoidingOfVoiding(batch);
  return batch;
}

/** The id of the statement that `statement` voids, when it is a voiding statement (Data §2.3.2.s2.b1, b2). */
export function voidedTarget(statement: Statement): string | undefined {
  return statement.verb.id === VOIDED_VERB && statement.object.objectType === 'StatementRef' ? statement.object.id.toLowerCase() : undefined;
}

/**
 * Data §2.3.2.s1: a voiding statement cannot be voided. A batch that voids one of its own
 * voiding statements is refused here; voiding a stored one is refused when writing.
 */
function refuseVoidingOfVoiding(batch: readonly Prepared[]): void {
  const voiding = new Set(batch.filter((p) => voidedTarget(p.full) !== undefined).map((p) => p.full.id));
  for (const p of batch) {
    const target = voidedTarget(p.full);
    if (target !== undefined && voiding.has(target)) {
      throw new CodedError('invalid', `${p.prefix}.object.id: targets a voiding statement, which cannot be voided (Data 2.3.2)`);
    }
  }
}

function prefixPath(prefix: string, path: string): string {
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** The statement as the LRS returns it: with id, stored, authority, version and timestamp. */
function complete(input: Statement, id: string, stored: string, authority: Agent, defaultVersion: string): Statement {
  const full: Statement = {
    ...input,
    id,
    // Data §2.4.7.s3.b2: timestamp defaults to stored. A 2.0 space for T is written as T
    // (xapi-2.0.md 2.3), so that 1.0.3 readers get an ISO 8601 timestamp.
    timestamp: input.timestamp === undefined ? stored : isoFromRfc3339(input.timestamp),
    stored,
    authority,
    // Data §2.4.10.s3.b3: keep the version accepted, else the request's (1.0.0 or 2.0.0, not the header's patch).
    version: input.version ?? defaultVersion,
  };
  if (input.context !== undefined) full.context = arrayContextActivities(input.context);
  if (input.object.objectType === 'SubStatement') {
    const { context, timestamp } = input.object;
    full.object = {
      ...input.object,
      ...(context !== undefined && { context: arrayContextActivities(context) }),
      ...(timestamp !== undefined && { timestamp: isoFromRfc3339(timestamp) }),
    };
  }
  return full;
}

/** Data §2.4.6.2.s4.b3: every contextActivities value is returned as an array. */
function arrayContextActivities(context: Context): Context {
  if (context.contextActivities === undefined) return context;
  const lists: NonNullable<Context['contextActivities']> = {};
  for (const kind of ['parent', 'grouping', 'category', 'other'] as const) {
    if (context.contextActivities[kind] !== undefined) lists[kind] = contextActivityList(context, kind);
  }
  return { ...context, contextActivities: lists };
}
