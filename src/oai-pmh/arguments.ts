/**
 * The arguments of an OAI-PMH request (section 3.1), checked per verb before anything
 * is read: a missing, illegal or repeated verb is `badVerb`; a missing, illegal,
 * repeated or malformed argument is `badArgument` (section 3.6).
 */
import { OaiError } from './errors.js';

/** The six verbs. */
export type Verb = 'Identify' | 'ListMetadataFormats' | 'ListSets' | 'GetRecord' | 'ListIdentifiers' | 'ListRecords';

interface VerbArguments {
  required: string[];
  optional: string[];
  /** An argument that stands alone (section 3.5: `resumptionToken`). */
  exclusive?: string;
}

const VERBS: Record<Verb, VerbArguments> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
};

/** A checked request: the verb and its arguments. */
export interface OaiRequest {
  verb: Verb;
  args: Record<string, string>;
}

/** Checks `pairs` (in request order, repeats kept) against the verb's arguments. */
export function parseRequest(pairs: [string, string][], opts: { strict: boolean }): OaiRequest {
  const values = new Map<string, string[]>();
  for (const [key, value] of pairs) values.set(key, [...(values.get(key) ?? []), value]);
  const verbs = values.get('verb') ?? [];
  if (verbs.length === 0) throw new OaiError('badVerb', 'the verb argument is missing');
  if (verbs.length > 1) throw new OaiError('badVerb', 'the verb argument is repeated');
  const verb = verbs[0]!;
  if (!Object.hasOwn(VERBS, verb)) throw new OaiError('badVerb', `${verb} is not an OAI-PMH verb`);
  const spec = VERBS[verb as Verb];
  const args: Record<string, string> = {};
  for (const [key, list] of values) {
    if (key === 'verb') continue;
    if (![...spec.required, ...spec.optional, spec.exclusive].includes(key)) throw new OaiError('badArgument', `${key} is not an argument of ${verb}`);
    if (list.length > 1) throw new OaiError('badArgument', `${key} is repeated`);
    args[key] = list[0]!;
  }
  if (spec.exclusive !== undefined && args[spec.exclusive] !== undefined) {
    const others = Object.keys(args).filter((k) => k !== spec.exclusive);
    // ECO sends metadataPrefix beside the token (eco.md); the provider checks that it matches the token's.
    const allowed = opts.strict ? others : others.filter((k) => k !== 'metadataPrefix');
    if (allowed.length > 0) throw new OaiError('badArgument', `${spec.exclusive} is an exclusive argument: ${others.join(', ')} may not accompany it`);
    return { verb: verb as Verb, args };
  }
  for (const key of spec.required) if (args[key] === undefined) throw new OaiError('badArgument', `${verb} needs the ${key} argument`);
  return { verb: verb as Verb, args };
}

/** A `from` or `until` bound: the instant and whether it was a day (section 3.3.1). */
export interface DateBound {
  at: Date;
  granularity: 'day' | 'second';
}

/** Parses a `from`/`until` value at day or second granularity, else `badArgument`. */
export function parseBound(name: string, value: string): DateBound {
  const day = /^(\d{4})-(\d\d)-(\d\d)$/.exec(value);
  const second = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/.exec(value);
  const m = day ?? second;
  if (m === null) throw new OaiError('badArgument', `${name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ`);
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}Z`);
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) throw new OaiError('badArgument', `${name} is not a valid date`);
  return { at, granularity: day === null ? 'second' : 'day' };
}
