/** The settings as printable text, with secrets and URL passwords masked. */
import { BlockList } from 'node:net';
import { SETTINGS, type Config } from './load.js';

/**
 * The settings as printable text values by variable, with secrets and URL passwords masked.
 * @example console.log(redactedConfig(loadConfig()).DATABASE_URL) // postgres://gw:***@db/gw
 */
export function redactedConfig(config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const setting of SETTINGS) {
    const value: unknown = config[setting.key];
    if (value === undefined) continue;
    if (setting.secret === 'url-password') out[setting.variable] = maskUrlPassword(String(value));
    else if (setting.secret) out[setting.variable] = '***';
    else if (value instanceof Set) out[setting.variable] = [...value].join(',');
    else if (value instanceof RegExp) out[setting.variable] = value.source;
    // BlockList keeps its rules newest first, as 'Subnet: IPv4 10.0.0.0/8'.
    else if (value instanceof BlockList) out[setting.variable] = value.rules.map((r) => r.replace(/^\w+: IPv[46] /, '')).reverse().join(',');
    else out[setting.variable] = String(value);
  }
  return out;
}

/** postgres://u:secret@h/db -> postgres://u:***@h/db */
export function maskUrlPassword(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '***';
  }
}

/**
 * `url` without user, password, query or fragment: what a message or a log line may name.
 * @throws TypeError when `url` is not a URL
 * @example withoutCredentials('https://u:p@lrs.example/xapi/statements?agent=x') // 'https://lrs.example/xapi/statements'
 */
export function withoutCredentials(url: string | URL): string {
  const safe = new URL(url);
  safe.username = '';
  safe.password = '';
  safe.search = '';
  safe.hash = '';
  return safe.toString();
}
