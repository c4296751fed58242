/**
 * xAPI 1.0.3 and 2.0.0 served side by side (xapi-2.0.md 1.2): the request's
 * `X-Experience-API-Version` selects the rules, and the response names the version served.
 * Everything that differs by version is one row of VERSION_RULES; storage, queries,
 * documents and attachments are shared.
 */
import type { RequestHandler, Response } from 'express';
import { CodedError } from '../../errors.js';
import { isoFromRfc3339 } from '../../xapi/formats.js';
import type { XapiVersion } from '../../xapi/index.js';
import type { MissingPrecondition } from './document-store.js';

/** What one served version decides. */
export interface VersionRules {
  served: XapiVersion;
  /** Header values that select these rules: 1.0.3 §3.3 ("1.0" is 1.0.0), 9274.1.1 4.1.7 ("2.0" is 2.0.0). */
  accepts: RegExp;
  /** `version` of a statement sent without one (Data §2.4.10; 9274.1.1 4.2.4.3). */
  statementVersion: string;
  /** Whether `?method=` requests are read (Communication §1.3); 2.0 has none (xapi-2.0.md 3.4). */
  alternateSyntax: boolean;
  /** Whether timestamps may be RFC 3339 with a space for `T` (xapi-2.0.md 2.3), in queries too. */
  rfc3339Timestamps: boolean;
  /** A PUT with neither If-Match nor If-None-Match, per document kind (xapi-2.0.md 3.3). */
  unconditionalPut: { state: MissingPrecondition; profile: MissingPrecondition };
}

/** The rules of each served version. */
export const VERSION_RULES: Record<XapiVersion, VersionRules> = {
  '1.0.3': {
    served: '1.0.3',
    accepts: /^1\.0(?:\.\d+)?$/,
    statementVersion: '1.0.0',
    alternateSyntax: true,
    rfc3339Timestamps: false,
    // §3.1.s4.b13 exempts State; profiles need a precondition even for a new document (XAPI-00273).
    unconditionalPut: { state: 'allow', profile: 'always' },
  },
  '2.0.0': {
    served: '2.0.0',
    accepts: /^2\.0(?:\.\d+)?$/,
    statementVersion: '2.0.0',
    alternateSyntax: false,
    rfc3339Timestamps: true,
    // 9274.1.1 4.1.4: State under the ETag rules too; a new document may be created without one.
    unconditionalPut: { state: 'conflict-if-exists', profile: 'conflict-if-exists' },
  },
};

/** The versions served, in the order `/about` lists them. */
export const SERVED_VERSIONS: readonly XapiVersion[] = Object.values(VERSION_RULES).map((r) => r.served);

/** Answered where a request names no version served (and on `/about` without one). */
export const DEFAULT_RULES = VERSION_RULES['1.0.3'];

/**
 * The rules a version header selects, or undefined for a missing or unsupported one.
 * @example negotiate('2.0')?.served // '2.0.0'
 */
export function negotiate(header: string | undefined): VersionRules | undefined {
  const value = header?.trim();
  if (value === undefined) return undefined;
  return Object.values(VERSION_RULES).find((rules) => rules.accepts.test(value));
}

/** The rules of the request being answered (see `negotiateVersion`). */
export function rulesOf(res: Response): VersionRules {
  return (res.locals.xapiRules as VersionRules | undefined) ?? DEFAULT_RULES;
}

/**
 * The query parameters of a GET with `since` and `until` as ISO 8601, where the version
 * takes RFC 3339 timestamps: the parameters need the statements' parser (xapi-2.0.md 2.3).
 * @example timestampParams({ since: '2024-03-01 09:30:00Z' }, VERSION_RULES['2.0.0']).since // '2024-03-01T09:30:00Z'
 */
export function timestampParams(query: Record<string, unknown>, rules: VersionRules): Record<string, unknown> {
  if (!rules.rfc3339Timestamps) return query;
  const out = { ...query };
  for (const name of ['since', 'until']) if (typeof out[name] === 'string') out[name] = isoFromRfc3339(out[name]);
  return out;
}

/**
 * Reads the version header into `res.locals` and answers with the version served, on every
 * response (§3.3.s3.b1). Run again after the alternate syntax, whose form may carry the header.
 */
export const negotiateVersion: RequestHandler = (req, res, next) => {
  const rules = negotiate(req.get('X-Experience-API-Version'));
  res.locals.xapiRules = rules;
  res.set('X-Experience-API-Version', (rules ?? DEFAULT_RULES).served);
  next();
};

/** §3.3.s3.b4.1, b6, b7 and 9274.1.1 4.1.7: a request without a served version is refused with 400. */
export const requireVersion: RequestHandler = (req, res, next) => {
  if (res.locals.xapiRules === undefined) {
    const sent = req.get('X-Experience-API-Version') === undefined ? 'is required' : 'names a version this LRS does not serve';
    throw new CodedError('invalid', `X-Experience-API-Version ${sent}: this LRS serves xAPI ${SERVED_VERSIONS.join(' and ')} (send 1.0.x or 2.0.x)`);
  }
  next();
};
