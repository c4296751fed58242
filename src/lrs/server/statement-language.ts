/**
 * Language filtering for the `canonical` format (Communication §2.1.3.s4): each language
 * map is reduced to the one language that the request's Accept-Language header prefers,
 * chosen per map as RFC 2616 §14.4 chooses per resource (§2.1.3.s4.b5).
 */
import type { LanguageMap } from '../../xapi/types.js';

/** One language range of an Accept-Language header and its quality. */
export interface LanguageRange {
  /** Lower case; `*` for any language. */
  range: string;
  q: number;
}

const RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/i;

/**
 * The ranges of an Accept-Language header, in header order; malformed entries are skipped.
 * @example parseAcceptLanguage('de-CH, de;q=0.8, *;q=0.1') // [{ range: 'de-ch', q: 1 }, { range: 'de', q: 0.8 }, { range: '*', q: 0.1 }]
 */
export function parseAcceptLanguage(header: string | undefined): LanguageRange[] {
  if (header === undefined) return [];
  return header.split(',').flatMap((entry) => {
    const [range = '', ...params] = entry.split(';').map((p) => p.trim());
    if (!RANGE.test(range)) return [];
    const qParam = params.find((p) => /^q\s*=/i.test(p));
    const q = qParam === undefined ? 1 : Number(qParam.replace(/^q\s*=\s*/i, ''));
    return Number.isFinite(q) && q >= 0 && q <= 1 ? [{ range: range.toLowerCase(), q }] : [];
  });
}

/**
 * The tag of `map` the ranges prefer: the one with the highest quality, which a tag gets
 * from the longest range that equals it or is a prefix of it up to a `-`, `*` counting for
 * tags no other range matches (RFC 2616 §14.4); ties go to the range listed first, then
 * to the map's order. As a map must still show one language (§2.1.3.s4.b1), when no tag
 * is acceptable the first tag whose primary language a range names is chosen, else the
 * map's first. Undefined only for an empty map.
 */
export function preferredTag(map: LanguageMap, ranges: readonly LanguageRange[]): string | undefined {
  const tags = Object.keys(map);
  let best: { tag: string; q: number; rank: number } | undefined;
  for (const tag of tags) {
    const match = bestRange(tag.toLowerCase(), ranges);
    if (match === undefined || match.q === 0) continue;
    if (best === undefined || match.q > best.q || (match.q === best.q && match.rank < best.rank)) best = { tag, ...match };
  }
  if (best !== undefined) return best.tag;
  const primaries = ranges.filter((r) => r.q > 0).map((r) => r.range.split('-')[0]);
  for (const primary of primaries) {
    const tag = tags.find((t) => t.toLowerCase().split('-')[0] === primary);
    if (tag !== undefined) return tag;
  }
  return tags[0];
}

/** The longest range matching `tag` (lower case), `*` only when no other does, with its position in the header. */
function bestRange(tag: string, ranges: readonly LanguageRange[]): { q: number; rank: number } | undefined {
  let best: { q: number; rank: number; length: number } | undefined;
  ranges.forEach((r, rank) => {
    if (r.range === '*' || !(tag === r.range || tag.startsWith(`${r.range}-`))) return;
    if (best === undefined || r.range.length > best.length) best = { q: r.q, rank, length: r.range.length };
  });
  if (best !== undefined) return best;
  const any = ranges.findIndex((r) => r.range === '*');
  return any < 0 ? undefined : { q: ranges[any]!.q, rank: any };
}

/**
 * `map` with only its preferred language (§2.1.3.s4.b1, b4).
 * @example filterLanguageMap({ 'en-US': 'passed', 'de-DE': 'bestanden' }, parseAcceptLanguage('de')) // { 'de-DE': 'bestanden' }
 */
export function filterLanguageMap(map: LanguageMap, ranges: readonly LanguageRange[]): LanguageMap {
  const tag = preferredTag(map, ranges);
  return tag === undefined ? {} : { [tag]: map[tag]! };
}
