import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartBoundary, parseMultipart } from '../../../src/lrs/server/attachment-multipart.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { dataPart, jsonPart, MULTIPART_TYPE, multipartBody, rawBody, sha256 } from './attachment-bodies.js';
import { realistic, sid, useLrs } from './lrs-app.js';

const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';
// The example of Data Appendix D: a JWS with an x5c certificate chain over its statement.
const APPENDIX_D = readFileSync(new URL('./fixtures/signed-statement-appendix-d.jws', import.meta.url), 'utf8');
const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const HASHES: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** A compact JWS of `payload` signed with `key`. */
function jws(payload: unknown, key: KeyObject, header: Record<string, unknown> = { alg: 'RS256' }): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = sign(HASHES[header.alg as string] ?? 'sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

/** The statement with the signature attachment added, and the multipart body carrying it. */
function signed(statement: Record<string, unknown>, signature: string, contentType = 'application/octet-stream') {
  const attachment = {
    usageType: SIGNATURE,
    display: { 'en-US': 'Signature' },
    contentType,
    length: Buffer.byteLength(signature),
    sha2: sha256(signature),
  };
  const withSignature = { ...statement, attachments: [...((statement.attachments as unknown[]) ?? []), attachment] };
  return multipartBody([jsonPart(withSignature), dataPart(signature, { contentType })]);
}

describe.each(DATABASE_KINDS)('signed statements in the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind);
  let privateKey: KeyObject;
  beforeAll(() => {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  });

  const post = (body: Buffer) => lrs.post('/xapi/statements', body).set('Content-Type', MULTIPART_TYPE);
  const refused = async (body: Buffer, message: RegExp) => {
    const res = await post(body).expect(400);
    expect(res.body.detail).toMatch(message);
    const { rows } = await lrs.database.query<{ n: number }>('SELECT count(*)::int AS n FROM lrs_statements');
    expect(rows[0]!.n).toBe(0);
  };

  it('accepts under 2.0 a signed statement with contextAgents whose duration is finer than the signed one (xAPI 2.0 section 4)', async () => {
    const context = { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:tutor@example.org' } }] };
    const statement = { ...realistic(1), context, result: { duration: 'PT4.5183S' } };
    const body = signed(statement, jws({ ...statement, result: { duration: 'PT4.51S' } }, privateKey));
    await post(body).set('X-Experience-API-Version', '2.0.0').expect(200);
  });

  it('accepts a statement signed with RS256 or RS512 and returns the signature with its attachments', async () => {
    const statement = realistic(1);
    const signature = jws(statement, privateKey);
    await post(signed(statement, signature)).expect(200);
    await post(signed(realistic(2), jws(realistic(2), privateKey, { alg: 'RS512' }))).expect(200);
    const res = await rawBody(lrs.get(`/xapi/statements?statementId=${sid(1)}&attachments=true`)).expect(200);
    const parts = parseMultipart(res.body as Buffer, multipartBoundary(res.headers['content-type']!));
    expect(parts[1]!.body.toString()).toBe(signature);
    expect(parts[1]!.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('accepts the signed statement of Data Appendix D, whose signature verifies against its x5c certificate', async () => {
    const statement = JSON.parse(Buffer.from(APPENDIX_D.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    await post(signed(statement, APPENDIX_D)).expect(200);
  });

  it('accepts a signed statement without id, the LRS assigning one', async () => {
    const { id: _id, ...statement } = realistic(1);
    await post(signed(statement, jws(statement, privateKey))).expect(200);
  });

  it('refuses with 400 a signature whose payload is not the statement', async () => {
    const statement = realistic(1);
    const signature = jws(statement, privateKey);
    await refused(signed({ ...statement, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } }, signature), /payload does not match/);
    await refused(signed({ ...statement, id: sid(2) }, signature), /payload does not match/);
    const { timestamp: _ts, ...undated } = statement;
    await refused(signed(statement, jws(undated, privateKey)), /payload does not match/);
  });

  it('refuses with 400 a signature that is not a JWS in compact serialization', async () => {
    const statement = realistic(1);
    const [header, payload] = jws(statement, privateKey).split('.');
    await refused(signed(statement, `${header}.${payload}`), /compact serialization/);
    await refused(signed(statement, `${header}.${payload}.not base64!`), /compact serialization/);
    await refused(signed(statement, JSON.stringify({ payload, signatures: [] })), /compact serialization/);
    await refused(signed(statement, `${b64url('not json')}.${payload}.AAAA`), /header that is not a JSON object/);
  });

  it('refuses with 400 an algorithm other than RS256, RS384 and RS512', async () => {
    const statement = realistic(1);
    await refused(signed(statement, `${b64url({ alg: 'HS256' })}.${b64url(statement)}.AAAA`), /RS256, RS384 or RS512/);
    await refused(signed(statement, `${b64url({ alg: 'none' })}.${b64url(statement)}.AAAA`), /RS256, RS384 or RS512/);
  });

  it('refuses with 400 a payload that is not a statement', async () => {
    await refused(signed(realistic(1), jws({ hello: 'world' }, privateKey)), /payload that is not a valid statement/);
  });

  it('refuses with 400 an x5c that is malformed or whose certificate does not verify the signature', async () => {
    const statement = realistic(1);
    const x5c = (JSON.parse(Buffer.from(APPENDIX_D.split('.')[0]!, 'base64url').toString()) as { x5c: string[] }).x5c;
    await refused(signed(statement, jws(statement, privateKey, { alg: 'RS256', x5c })), /does not verify/);
    await refused(signed(statement, jws(statement, privateKey, { alg: 'RS256', x5c: 'MIIB' })), /x5c header/);
    await refused(signed(statement, jws(statement, privateKey, { alg: 'RS256', x5c: ['bm90IGEgY2VydGlmaWNhdGU='] })), /x5c header/);
  });

  it('refuses with 400 a signature attachment whose contentType is not application/octet-stream', async () => {
    const statement = realistic(1);
    await refused(signed(statement, jws(statement, privateKey), 'application/jose'), /application\/octet-stream/);
  });
});
