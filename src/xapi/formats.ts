// String formats of xAPI 1.0.3 (xAPI-Data.md sections 2.2 and 4), as ajv formats.
// Most regexes come from tin-can-json-schema's formats.json. Its IRI patterns hold lone
// surrogates, so they are compiled without the `u` flag. Three are replaced below:
// `iso_date` (its `\b` is a backspace after JSON decoding, and it takes dates with no
// time), `iso_duration` (it caps seconds at two decimals and accepts `PY`), and
// `version` (it takes any semver, where 2.4.10 takes only 1.0.x).
import tinCanFormats from 'tin-can-json-schema/formats.json' with { type: 'json' };
import { remembered } from './remembered.js';

/** Names of the string formats the statement schema uses. */
export type FormatName =
  | 'iri'
  | 'mailto-iri'
  | 'rfc3986-uri'
  | 'uuid'
  | 'sha1'
  | 'sha2'
  | 'mimetype'
  | 'langtag'
  | 'iso_date'
  | 'iso_duration'
  | 'version'
  | 'rfc3339_date'
  | 'version_2_0';

const pattern = (name: keyof typeof tinCanFormats): RegExp => new RegExp(tinCanFormats[name]);

/** An absolute IRI: a scheme, then RFC 3987 characters (3.1, 2.2.s4.b1.b8). */
export const IRI = pattern('iri');

/** An RFC 5646 language tag, checked by the lengths of its subtags (2.2.s4.b2). */
export const LANGUAGE_TAG = pattern('langtag');

// Extended-format date and time with a zone. ISO 8601 also has a basic format
// (20130401T120000Z), which RFC 3339 does not: 4.5 says SHOULD* use RFC 3339.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/;

// `-00:00` is refused: ISO 8601 has no negative zero offset, and RFC 3339 section 4.3
// gives it the meaning "local offset unknown", which cannot be placed in time.
/**
 * Milliseconds since the epoch of an ISO 8601 timestamp with a zone (4.5); NaN when
 * `value` is not one. Digits beyond milliseconds are truncated (4.5.s1.b3, b7); a leap
 * second counts as the next one.
 * @example timestampMillis('2024-05-01T12:00:00.5+02:00') === Date.UTC(2024, 4, 1, 10, 0, 0, 500)
 */
export function timestampMillis(value: string): number {
  const m = TIMESTAMP.exec(value);
  if (m === null) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  const sign = m[8] === '-' ? -1 : 1;
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (m[8] === '-' && offsetHours === 0 && offsetMinutes === 0) return NaN;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return NaN; // 60: a leap second
  return utcMillis(year, month - 1, day, hour, minute, second, millis) - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days of `month` (1-12) of `year` in the proleptic Gregorian calendar, as Date counts them. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

// Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not. Every statement has a
// timestamp, so the common years take Date.UTC, which makes no Date.
function utcMillis(year: number, monthIndex: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  if (year >= 100) return Date.UTC(year, monthIndex, day, hour, minute, second, millis);
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}

/**
 * An RFC 3339 timestamp with a space between date and time (xAPI 2.0 accepts it, 9274.1.1
 * change s19) in the ISO 8601 form with `T`; any other value unchanged.
 * @example isoFromRfc3339('2024-03-01 09:30:00Z') === '2024-03-01T09:30:00Z'
 */
export function isoFromRfc3339(value: string): string {
  return value.length > 10 && value[10] === ' ' ? `${value.slice(0, 10)}T${value.slice(11)}` : value;
}

/** True for an ISO 8601 combined date and time with a time zone, not `-00:00` (4.5). */
export function isTimestamp(value: string): boolean {
  return !Number.isNaN(timestampMillis(value));
}

const NUMBER = String.raw`\d+(?:[.,]\d+)?`;
const DURATION = new RegExp(
  `^P(?:(${NUMBER})W|(?:(${NUMBER})Y)?(?:(${NUMBER})M)?(?:(${NUMBER})D)?` +
    `(?:T(?:(${NUMBER})H)?(?:(${NUMBER})M)?(?:(${NUMBER})S)?)?)$`,
);

// ISO 8601:2004 4.4.3.2: at least one component, `T` only before a time component, a
// decimal fraction only on the last component, weeks alone. Seconds may be finer than
// 0.01 s: 4.6.s1.b4 says an LRS SHOULD* NOT reject those.
/** True for an ISO 8601 duration such as `PT4.5S`, `P3Y1M29DT4H35M59.14S` or `P4W` (4.6). */
export function isDuration(value: string): boolean {
  const m = DURATION.exec(value);
  if (m === null || value.endsWith('T')) return false;
  const parts = m.slice(1).filter((p): p is string => p !== undefined);
  if (parts.length === 0) return false;
  return parts.slice(0, -1).every((p) => !/[.,]/.test(p));
}

/** Every format of the statement schema, keyed by the name the schema uses. */
export const FORMATS: Record<FormatName, RegExp | ((value: string) => boolean)> = {
  // Imports repeat the same IRIs on every statement, and this pattern is the costliest check.
  iri: remembered((v) => IRI.test(v), 10_000),
  'mailto-iri': pattern('mailto-iri'),
  'rfc3986-uri': pattern('rfc3986-uri'),
  uuid: pattern('uuid'),
  sha1: pattern('sha1'),
  sha2: pattern('sha2'),
  mimetype: pattern('mimetype'),
  langtag: remembered((v) => LANGUAGE_TAG.test(v), 1_000),
  iso_date: isTimestamp,
  iso_duration: isDuration,
  // 2.4.10: an LRS MUST reject a version that does not start with "1.0"; Communication
  // 3.3 reads "1.0" as "1.0.0", so the bare "1.0" is one of them.
  version: /^1\.0(?:\.\d+)?$/,
  // xAPI 2.0 (9274.1.1 4.2.4.3): the 1.0 line, or exactly 2.0.0 (the header carries the patch).
  version_2_0: /^(?:1\.0(?:\.\d+)?|2\.0\.0)$/,
  rfc3339_date: (value) => isTimestamp(isoFromRfc3339(value)),
};

/** What each format requires, worded as the end of "<path>: must ...". */
export const FORMAT_MESSAGES: Record<FormatName, string> = {
  iri: 'must be an IRI with a scheme',
  'mailto-iri': 'must be a mailto: IRI',
  'rfc3986-uri': 'must be a URI',
  uuid: 'must be a UUID in standard string form',
  sha1: 'must be a hex SHA-1 hash',
  sha2: 'must be a hex SHA-2 hash',
  mimetype: 'must be an Internet media type',
  langtag: 'must be an RFC 5646 language tag',
  iso_date: 'must be an ISO 8601 timestamp with a time zone (not -00:00)',
  iso_duration: 'must be an ISO 8601 duration such as PT4.5S',
  version: 'must be a 1.0.x version',
  version_2_0: 'must be 1.0, a 1.0.x version or 2.0.0',
  rfc3339_date: 'must be an RFC 3339 timestamp with a time zone (not -00:00)',
};
