/**
 * The alternate request syntax (Communication §1.3): a form POST to `?method=X` whose
 * form fields carry the headers, the query parameters and the `content`. It is turned
 * into the ordinary request before anything else sees it, so that every resource
 * supports it (§1.3.s3.b15) without knowing it exists.
 */
import express, { type RequestHandler } from 'express';
import { CodedError } from '../../errors.js';
import { negotiate } from './xapi-version.js';

/** Form fields that stand for headers (§1.3.s3.b6), by lower-case name. */
const HEADER_FIELDS = new Set(['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match']);
const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

/** The middleware; requests without `method` in the query pass untouched. */
export function alternateSyntax(bodyLimitBytes: number): RequestHandler {
  const parseForm = express.urlencoded({ extended: false, limit: bodyLimitBytes, type: () => true });
  return (req, res, next) => {
    if (req.method !== 'POST' || !('method' in (req.query as object))) return next();
    const query = req.query as Record<string, unknown>;
    // §1.3.s3.b3: no other query string parameter.
    if (Object.keys(query).length !== 1) throw new CodedError('invalid', 'with the alternate request syntax, method must be the only query parameter');
    const method = typeof query.method === 'string' ? query.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw new CodedError('invalid', 'method: must be GET, HEAD, PUT, POST or DELETE');
    if (!req.is('application/x-www-form-urlencoded')) {
      throw new CodedError('invalid', 'the alternate request syntax needs an application/x-www-form-urlencoded body');
    }
    parseForm(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      const form = req.body as Record<string, string>;
      const params = new URLSearchParams();
      let content: string | undefined;
      delete req.headers['content-type'];
      delete req.headers['content-length'];
      for (const [name, value] of Object.entries(form)) {
        if (typeof value !== 'string') return next(new CodedError('invalid', `${name}: must be given once`));
        if (name === 'content') content = value;
        else if (HEADER_FIELDS.has(name.toLowerCase())) req.headers[name.toLowerCase()] = value;
        else params.append(name, value); // §1.3.s3.b14
      }
      // The resources' parsers look for a body by its length; the stream itself is spent.
      if (content !== undefined) req.headers['content-length'] = String(Buffer.byteLength(content));
      // §1.3.s3.b10, b11: content whose form fields name no Content-Type is taken as application/json.
      if (content !== undefined && req.headers['content-type'] === undefined) req.headers['content-type'] = 'application/json';
      // xapi-2.0.md 3.4: 2.0 has no alternate syntax; the embedded request is not run.
      const rules = negotiate(req.get('X-Experience-API-Version'));
      if (rules?.alternateSyntax === false) {
        res.set('X-Experience-API-Version', rules.served);
        return next(new CodedError('invalid', 'method: xAPI 2.0 has no alternate request syntax; send the request itself'));
      }
      req.method = method;
      req.url = params.size > 0 ? `${req.path}?${params}` : req.path;
      try {
        req.body = content === undefined ? undefined : contentAsBody(req.path, content, req.headers['content-type']);
      } catch (error) {
        return next(error);
      }
      next();
    });
  };
}

/**
 * The content as the resource's own body parser would have left it: statements as
 * parsed JSON, documents as bytes (§1.3.s3.b5: a UTF-8 string). The stream is already
 * read, so those parsers leave `req.body` alone.
 */
function contentAsBody(path: string, content: string, contentType: string | undefined): unknown {
  if (path !== '/statements') return Buffer.from(content, 'utf8');
  if (contentType!.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    throw new CodedError('invalid', 'Content-Type: statements in the alternate request syntax must be application/json');
  }
  try {
    return JSON.parse(content) as unknown;
  } catch {
    throw new CodedError('invalid', 'content: not valid JSON');
  }
}
