/**
 * Why a line is not JSON, without its text: V8's messages quote the line they failed on
 * (`Unexpected token 'o', "{"user": ... " is not valid JSON`), and a tracking-log line
 * holds usernames, IPs and answers that must stay out of rejection reasons and logs.
 */

/**
 * The problem of a failed `JSON.parse`, as "not JSON" with the position when V8 gives one.
 * @example notJson(new SyntaxError('Unexpected end of JSON input')) // 'not JSON (ends too early)'
 */
export function notJson(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `not JSON (at character ${position})`;
  if (/end of JSON input/.test(message)) return 'not JSON (ends too early)';
  return 'not JSON';
}
