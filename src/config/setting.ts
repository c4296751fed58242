/**
 * The shape of one setting, declared once: its environment variable, default, whether it
 * holds a secret, the line the README's settings table gives it, and the zod schema that
 * reads its text. A section's type is derived from its table, so no interface repeats it.
 */
import { z } from 'zod';

/** Raised when a setting has a value the gateway cannot run with. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'bad_config';
  constructor(
    readonly variable: string,
    expected: string,
  ) {
    super(`${variable}: expected ${expected}`);
  }
}

/** One setting; an issue raised by `schema` is the "expected ..." of its `ConfigError`. */
export interface Setting<K extends string = string, S extends z.ZodType = z.ZodType> {
  key: K;
  variable: string;
  /** Default as written in the environment; undefined = unset is allowed (the schema is optional). */
  fallback: string | undefined;
  /** Masked when printed: wholly, or only the password of a URL. */
  secret?: true | 'url-password';
  description: string;
  schema: S;
}

/**
 * Declares a setting, keeping its key and value types for the section's type.
 * @example setting({ key: 'port', variable: 'PORT', fallback: '8080', description: 'HTTP port', schema: integer(0, 65535) })
 */
export const setting = <const K extends string, S extends z.ZodType>(s: Setting<K, S>): Setting<K, S> => s;

/** The typed values of a table of settings, by key. */
export type SectionOf<T extends readonly Setting[]> = { [S in T[number] as S['key']]: z.output<S['schema']> };

/** Whether a platform (or one of its jobs) can run, and if not which variables are unset (names only, never values). */
export type Readiness = { ready: true } | { ready: false; missing: string[] };

/**
 * The readiness given by the settings `keys` of `table` that must be set (an empty text counts as unset).
 * @example readiness(KHAN_SETTINGS, config, ['khanConsumerKey', 'khanConsumerSecret', 'khanTokenKey'])
 */
export function readiness<K extends string>(table: readonly Setting[], config: { readonly [key in K]: unknown }, keys: readonly K[]): Readiness {
  const missing = keys.filter((key) => config[key] === undefined || config[key] === '').map((key) => table.find((s) => s.key === key)!.variable);
  return missing.length === 0 ? { ready: true } : { ready: false, missing };
}
