/**
 * The zod schemas that read settings' text into values. Each issue's message is what the
 * variable expects ("an integer from 0 to 65535"): the loader prefixes the variable.
 * Messages never repeat the value, which may be a secret.
 */
import { BlockList, isIP } from 'node:net';
import { resolve } from 'node:path';
import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';

/** Refuses the value with what was expected instead. */
type Refuse = (expected: string) => never;

/** Thrown by `refuse` inside a read, turned into a zod issue. */
class Refused {
  constructor(readonly expected: string) {}
}

/** A schema from a read of the text that refuses with what it expected. */
function checked<T>(read: (raw: string, refuse: Refuse) => T): z.ZodType<T, string> {
  return z.string().transform((raw, ctx) => {
    try {
      return read(raw, (expected) => {
        throw new Refused(expected);
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      ctx.issues.push({ code: 'custom', message: err.expected, input: raw });
      return z.NEVER;
    }
  });
}

/** Text as given. */
export const text = z.string();

/** A folder or file path, absolute from the working directory. */
export const path = z.string().transform((raw) => resolve(raw));

/** An integer from `min` to `max`. */
export const integer = (min: number, max: number) =>
  checked((raw, refuse) => {
    const n = Number(raw);
    return /^-?\d+$/.test(raw.trim()) && n >= min && n <= max ? n : refuse(`an integer from ${min} to ${max}`);
  });

/** One of `values`, exactly. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: () => `one of ${values.join(', ')}` });

/** `true`/`1` or `false`/`0`. */
export const boolean = checked((raw, refuse) => (raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : refuse('true or false')));

function isHttpUrl(raw: string): boolean {
  try {
    const { protocol } = new URL(raw);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Why `raw` is no URL to call, or undefined: fetch refuses user:password@, and a URL is logged, so credentials have their own settings. */
function httpUrlProblem(raw: string): string | undefined {
  if (!isHttpUrl(raw)) return 'an http:// or https:// URL';
  const { username, password } = new URL(raw);
  return username || password ? 'an http:// or https:// URL without user:password@ (credentials go in their own settings)' : undefined;
}

/** A base URL, with a final `/`: resource names are appended to it. */
export const httpUrl = checked((raw, refuse) => {
  const problem = httpUrlProblem(raw);
  return problem ? refuse(problem) : raw.endsWith('/') ? raw : `${raw}/`;
});

/** An http(s) URL without a final `/` (an origin, or the public URL of a route). */
export const httpUrlExact = checked((raw, refuse) => {
  const problem = httpUrlProblem(raw);
  return problem ? refuse(problem) : raw.replace(/\/$/, '');
});

/** A PostgreSQL connection URL naming a database. */
export const postgresUrl = checked((raw, refuse) => {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const ok = url !== undefined && (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length >= 2;
  return ok ? raw : refuse('a postgres://user:password@host:port/database URL');
});

/** A node-cron expression: 5 fields, or 6 with seconds first. */
export const cronExpression = checked((raw, refuse) => (isCronExpression(raw.trim()) ? raw.trim() : refuse('a cron expression of 5 or 6 fields, e.g. "*/10 * * * * *"')));

/** A size from 1kb to 512mb (`10mb`, `256kb`, bytes without a unit), in bytes. */
export const byteSize = checked((raw, refuse) => {
  const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw.trim());
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;
  const n = m ? Number(m[1]) * unit[(m[2]?.toLowerCase() ?? 'b') as keyof typeof unit] : NaN;
  return n >= 1024 && n <= 512 * 1024 * 1024 ? n : refuse('a size from 1kb to 512mb, e.g. "10mb"');
});

/** An email address. */
export const email = checked((raw, refuse) => (/^[^@\s]+@[^@\s]+$/.test(raw) ? raw : refuse('an email address')));

/** A regular expression, matched case-insensitively. */
export const pattern = checked((raw, refuse) => {
  try {
    return new RegExp(raw, 'i');
  } catch {
    return refuse('a regular expression');
  }
});

/** A secret of 16 characters or more. */
export const secretText = checked((raw, refuse) => (raw.length >= 16 ? raw : refuse('a secret of at least 16 characters')));

/** An OAI-PMH repository identifier: a domain name (oai-identifier.xsd), as in oai:<it>:<local id>. */
export const repositoryId = checked((raw, refuse) =>
  /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/.test(raw) ? raw : refuse('a domain name, e.g. eco.example.org'),
);

/** Ids, comma-separated; none = undefined (no selection). */
export const idList = z.string().transform((raw) => {
  const ids = raw.split(',').map((id) => id.trim()).filter(Boolean);
  return ids.length === 0 ? undefined : new Set(ids);
});

const entries = (raw: string) => raw.split(',').map((e) => e.trim()).filter(Boolean);

/** `name:secret,...`, `form` being how the README writes an entry (`user:password`, `client:key`). */
function pairs(raw: string, refuse: Refuse, form: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of entries(raw)) {
    const colon = entry.indexOf(':');
    if (colon < 1 || colon === entry.length - 1) refuse(`a comma-separated list of ${form}`);
    found.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  return found;
}

/**
 * LRS_USERS, by user: passwords of 16 characters at least, the floor of ADMIN_TOKEN and the
 * ingest tokens. They are set for machines (an LMS, a dashboard), not typed by people, so
 * length costs nothing, and unlike stored credentials they are not scrypt-hashed against guessing.
 */
export const userList = checked((raw, refuse) => {
  const users = pairs(raw, refuse, 'user:password');
  for (const [user, password] of users) if (password.length < 16) refuse(`a password of at least 16 characters for user "${user}"`);
  return users;
});

/** `name:token,...` written as `form` (e.g. `client:key`): one token per calling system, by token. */
export const tokenList = (form: string) =>
  checked((raw, refuse) => {
    const byToken = new Map<string, string>();
    for (const [name, token] of pairs(raw, refuse, form)) {
      if (token.length < 16) refuse(`${form.split(':')[1]}s of at least 16 characters in "${form},..."`);
      byToken.set(token, name);
    }
    return byToken;
  });

/** Web origins, comma-separated, each exactly as a browser sends it in `Origin` (scheme, host, port; no path). */
export const originList = checked((raw, refuse) => {
  const origins = entries(raw);
  for (const origin of origins) {
    let parsed: string | undefined;
    try {
      parsed = new URL(origin).origin;
    } catch {
      parsed = undefined;
    }
    if (parsed !== origin) refuse('origins like https://lms.example.org, comma-separated');
  }
  return new Set(origins);
});

/** Which proxies express trusts for `req.ip`: none, a hop count, or addresses and subnets. */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: empty = none, a number of hops, or addresses, subnets and express's names. */
export const trustProxy = checked((raw, refuse): TrustProxy => {
  const value = raw.trim();
  if (value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const listed = entries(value);
  for (const entry of listed) {
    const [address = '', prefix] = entry.split('/');
    const ok = PROXY_NAMES.has(entry) || (isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix)));
    if (!ok) refuse('a number of hops, or addresses and subnets like loopback,10.0.0.0/8, comma-separated');
  }
  return listed;
});

/** Client addresses, exact or CIDR (`192.0.2.7`, `198.51.100.0/24`, `2001:db8::/32`), comma-separated; empty = any. */
export const addressList = checked((raw, refuse) => {
  const listed = entries(raw);
  if (listed.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of listed) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(prefix!) && bits <= max))) {
      refuse('IP addresses or CIDR ranges, e.g. "192.0.2.7,198.51.100.0/24,2001:db8::/32"');
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
});
