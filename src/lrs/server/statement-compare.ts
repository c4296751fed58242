/**
 * Statement comparison (Data §2.3.1, "Statement Comparison Requirements"): whether a
 * statement sent again under a stored id is the same statement, so that the LRS answers
 * success instead of 409 Conflict (Communication §2.1.1.s2.b3, §2.1.2.s2.b5).
 *
 * Differences that the exceptions to immutability (Data §2.3.1.b1-b7) could cause are
 * ignored: `id`, `authority`, `stored`, `version` and an absent `timestamp` (assigned by
 * the LRS), verb `display` and activity `definition` (not part of the statement),
 * timestamp serialization (compared as instants), Group member order, contextActivities
 * given as a single Activity, and the case of case-insensitive values (e-mail domains,
 * hex hashes, UUIDs, language tags). Everything else must match exactly, including
 * `result.duration` as a string (Data §2.3.1.b8), but to 0.01 s only (xAPI 2.0 s24, s25,
 * allowed under 1.0.3 too): `PT4.5183S` is `PT4.51S`.
 */
import type {
  Activity,
  Actor,
  Attachment,
  Context,
  LanguageMap,
  Statement,
  StatementObject,
  SubStatement,
} from '../../xapi/types.js';
import { timestampMillis } from './instant.js';
import { canonicalMbox, contextActivityList, isActivity } from './statement-links.js';

type Json = Record<string, unknown>;

/**
 * True when `incoming` matches the stored `existing` statement per Data §2.3.1.
 * @example sameStatement({ ...s, timestamp: '2024-01-01T02:00:00+02:00' }, { ...s, timestamp: '2024-01-01T00:00:00Z' }) // true
 */
export function sameStatement(incoming: Statement, existing: Statement): boolean {
  // An absent timestamp is one the LRS would assign (Data §2.4.7), so it cannot differ.
  const withTimestamp = incoming.timestamp !== undefined;
  return canonicalJson(comparable(incoming, withTimestamp)) === canonicalJson(comparable(existing, withTimestamp));
}

function comparable(s: Statement | SubStatement, withTimestamp: boolean): Json {
  const { id: _id, stored: _stored, authority: _authority, version: _version, timestamp, ...rest } = s as Statement;
  const out: Json = { ...rest, actor: actorForm(s.actor), verb: { id: s.verb.id }, object: objectForm(s.object) };
  if (withTimestamp && timestamp !== undefined) out.timestamp = timestampMillis(timestamp);
  if (s.context !== undefined) out.context = contextForm(s.context);
  if (s.result?.duration !== undefined) out.result = { ...s.result, duration: hundredths(s.result.duration) };
  if (s.attachments !== undefined) out.attachments = s.attachments.map(attachmentForm);
  return out;
}

function actorForm(actor: Actor): Json {
  const out: Json = { ...actor };
  if (actor.mbox !== undefined) out.mbox = canonicalMbox(actor.mbox);
  if (actor.mbox_sha1sum !== undefined) out.mbox_sha1sum = actor.mbox_sha1sum.toLowerCase();
  if (actor.objectType === 'Group' && actor.member !== undefined) {
    // Members are an unordered list (Data §2.3.1.b5).
    out.member = actor.member.map((m) => canonicalJson(actorForm(m))).sort();
  }
  return out;
}

function objectForm(object: StatementObject): Json {
  if (isActivity(object)) return activityForm(object);
  switch (object.objectType) {
    case 'Agent':
    case 'Group':
      return actorForm(object);
    case 'StatementRef':
      return { ...object, id: object.id.toLowerCase() };
    case 'SubStatement':
      // A SubStatement's timestamp is the provider's, never assigned by the LRS.
      return comparable(object, true);
  }
}

/** The duration with its seconds truncated (never rounded) to hundredths (xapi-2.0.md 2.4). */
function hundredths(duration: string): string {
  return duration.replace(/([.,]\d{2})\d+S$/, '$1S');
}

function activityForm(activity: Activity): Json {
  // The definition is not part of the statement (Data §2.3.1.b2).
  const { definition: _definition, ...rest } = activity;
  return rest;
}

function contextForm(context: Context): Json {
  const out: Json = { ...context };
  if (context.registration !== undefined) out.registration = context.registration.toLowerCase();
  if (context.instructor !== undefined) out.instructor = actorForm(context.instructor);
  if (context.team !== undefined) out.team = actorForm(context.team);
  if (context.contextAgents !== undefined) out.contextAgents = context.contextAgents.map((c) => ({ ...c, agent: actorForm(c.agent) }));
  if (context.contextGroups !== undefined) out.contextGroups = context.contextGroups.map((c) => ({ ...c, group: actorForm(c.group) }));
  if (context.statement !== undefined) out.statement = { ...context.statement, id: context.statement.id.toLowerCase() };
  if (context.contextActivities !== undefined) {
    const kinds: Json = {};
    for (const kind of ['parent', 'grouping', 'category', 'other'] as const) {
      if (context.contextActivities[kind] !== undefined) {
        kinds[kind] = contextActivityList(context, kind).map(activityForm);
      }
    }
    out.contextActivities = kinds;
  }
  return out;
}

function attachmentForm(attachment: Attachment): Json {
  const out: Json = { ...attachment, display: languageMapForm(attachment.display), sha2: attachment.sha2.toLowerCase() };
  if (attachment.description !== undefined) out.description = languageMapForm(attachment.description);
  return out;
}

// Language tags are case-insensitive (RFC 5646 §2.1.1).
function languageMapForm(map: LanguageMap): Json {
  return Object.fromEntries(Object.entries(map).map(([tag, text]) => [tag.toLowerCase(), text]));
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
