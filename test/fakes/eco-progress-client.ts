/**
 * ECO's progress client as eco.md describes it: one configured base URL per platform
 * (`RESTApiUrl`), to which it appends `/users/<eco user id>/courses`; a plain GET with
 * only an `Accept` of any type (no Authorization, no other header of its own, no query
 * string), and whatever body comes back parsed as JSON, whatever the status.
 */
import { request } from 'node:http';

/** What ECO got: the status it ignores and the body it parses. */
export interface EcoFetch {
  status: number;
  body: unknown;
}

/** GETs `<base>/users/<ecoUserId>/courses` as ECO does. */
export function fetchProgress(baseUrl: string, ecoUserId: string): Promise<EcoFetch> {
  return get(`${baseUrl}/users/${ecoUserId}/courses`);
}

/** A GET of `url` with ECO's headers only (Node adds `Host` and `Connection`, as any client does). */
export function get(url: string): Promise<EcoFetch> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { Accept: '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
