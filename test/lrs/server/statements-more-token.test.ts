import { describe, expect, it } from 'vitest';
import { gatewaySecret } from '../../../src/db/gateway-secrets.js';
import { decodeCursor, encodeCursor } from '../../../src/lrs/server/statement-cursor.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { DATABASE_KINDS, freshDatabase } from '../../support/databases.js';
import { realistic, startLrs, useLrs } from './lrs-app.js';

/** The token of a `more` IRL. */
const tokenOf = (more: string) => new URL(more, 'http://lrs.example.org').searchParams.get('more')!;

/** The token with its page size edited as a client could: the state decoded, changed and encoded again, the rest kept. */
function withLimit(token: string, limit: number): string {
  const [body, ...signature] = token.split('.');
  const state = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as { f: unknown[] };
  state.f[8] = limit;
  return [Buffer.from(JSON.stringify(state)).toString('base64url'), ...signature].join('.');
}

describe.each(DATABASE_KINDS)('more tokens of the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind);

  const firstPage = async (limit: number) => {
    await lrs.post('/xapi/statements', Array.from({ length: 30 }, (_, i) => realistic(i + 1))).expect(200);
    const res = await lrs.get(`/xapi/statements?limit=${limit}`).expect(200);
    return tokenOf(res.body.more as string);
  };

  it('refuses with 400 a token whose page size was edited, in HTTP and in process', async () => {
    const edited = withLimit(await firstPage(2), 150_000);
    const res = await lrs.get(`/xapi/statements?more=${edited}`).expect(400);
    expect(res.body.detail).toBe('more: not a continuation issued by this LRS');
    await expect(new EmbeddedStatementQuery(lrs.database).page(edited)).rejects.toThrow('not a continuation issued by this LRS');
  });

  it('accepts a token from another instance on the same database, and refuses one from another database', async () => {
    const token = await firstPage(2);
    const sameDatabase = await startLrs(lrs.database);
    const other = await freshDatabase(kind);
    const otherLrs = await startLrs(other.database);
    try {
      expect((await sameDatabase.get(`/xapi/statements?more=${token}`).expect(200)).body.statements).toHaveLength(2);
      await otherLrs.post('/xapi/statements', Array.from({ length: 30 }, (_, i) => realistic(i + 1))).expect(200);
      await otherLrs.get(`/xapi/statements?more=${token}`).expect(400);
    } finally {
      await otherLrs.close();
      await sameDatabase.close();
      await other.drop();
    }
  });

  it('bounds the page of a validly signed token by the server maximum of 500', async () => {
    await lrs.post('/xapi/statements', Array.from({ length: 502 }, (_, i) => realistic(i + 1))).expect(200);
    const first = tokenOf((await lrs.get('/xapi/statements?limit=1').expect(200)).body.more as string);
    const key = await gatewaySecret(lrs.database, 'lrs-more-token');
    const cursor = decodeCursor(first, key);
    const huge = encodeCursor({ ...cursor, filter: { ...cursor.filter, limit: 150_000 } }, key);
    const res = await lrs.get(`/xapi/statements?more=${huge}`).expect(200);
    expect(res.body.statements).toHaveLength(500);
    expect(tokenOf(res.body.more as string)).not.toBe('');
  });
});
