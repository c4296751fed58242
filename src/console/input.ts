/**
 * The query and form fields of console requests, read strictly: a bad value is a
 * `ConsoleInputError` naming the field, which the page shows with a 400 beside its form,
 * never a 500 and never the value itself.
 */
import type { Request, RequestHandler, Response } from 'express';
import { CodedError } from '../errors.js';
import { sendPage, type ConsolePath } from './layout.js';

/** A field of a console request that cannot be used; the message names the field. */
export class ConsoleInputError extends Error {
  override readonly name = 'ConsoleInputError';
}

type Source = 'query' | 'body';

function raw(req: Request, from: Source, name: string): unknown {
  const fields = (from === 'query' ? req.query : req.body) as Record<string, unknown> | undefined;
  return fields?.[name];
}

/** A text field, trimmed; undefined when absent or empty. */
export function textField(req: Request, from: Source, name: string, maxLength = 2000): string | undefined {
  const value = raw(req, from, name);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ConsoleInputError(`${name}: give it once`);
  if (value.length > maxLength) throw new ConsoleInputError(`${name}: at most ${maxLength} characters`);
  return value.trim() === '' ? undefined : value.trim();
}

/** One of `values`, or undefined when absent or empty. */
export function choiceField<T extends string>(req: Request, from: Source, name: string, values: readonly T[]): T | undefined {
  const value = textField(req, from, name, 100);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw new ConsoleInputError(`${name}: must be one of ${values.join(', ')}`);
  return value as T;
}

/** A whole number from `min`, or undefined when absent. */
export function integerField(req: Request, from: Source, name: string, min = 1): number | undefined {
  const value = textField(req, from, name, 20);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new ConsoleInputError(`${name}: must be a whole number from ${min}`);
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The statement ids of a repeated field (checkboxes), each a UUID; [] when none. */
export function uuidsField(req: Request, from: Source, name: string): string[] {
  const value = raw(req, from, name);
  const ids = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (ids.length > 1000) throw new ConsoleInputError(`${name}: at most 1000 at once`);
  if (!ids.every((id) => typeof id === 'string' && UUID.test(id))) throw new ConsoleInputError(`${name}: must be statement ids (UUIDs)`);
  return ids as string[];
}

/** Coded errors of the stores that are the operator's input at fault, with their status: shown on the page (their messages are safe to show). */
const SHOWN_CODES: Partial<Record<CodedError['code'], number>> = { invalid: 400, 'not-found': 404, conflict: 409 };

/** A page's handler: what it renders for a request, or `ConsoleInputError` for a bad field. */
type PageHandler = (req: Request, res: Response) => Promise<void>;

/**
 * Wraps a page handler so that a bad field (or a store's `invalid`, `not-found`, `conflict`) becomes the page's 400 (404, 409), titled `title`.
 * @example router.get('/outbox', consolePage('Outbox', '/console/outbox', async (req, res) => { ... }));
 */
export function consolePage(title: string, current: ConsolePath, handler: PageHandler): RequestHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      const status = err instanceof ConsoleInputError ? 400 : err instanceof CodedError ? SHOWN_CODES[err.code] : undefined;
      if (status === undefined) throw err;
      const csrf = (res.locals.consoleSession as { csrf: string }).csrf;
      sendPage(res, status, { title, current, csrf, error: (err as Error).message, body: `<p><a href="${current}">Back to ${title.toLowerCase()}</a></p>` });
    }
  };
}
