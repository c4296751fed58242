import { describe, expect, it } from 'vitest';
import { parseMultipart, multipartBoundary } from '../../../src/lrs/server/attachment-multipart.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { attachmentOf, dataPart, jsonPart, MULTIPART_TYPE, multipartBody, rawBody, sha256, type TestPart } from './attachment-bodies.js';
import { realistic, sid, useLrs } from './lrs-app.js';

const CERTIFICATE = 'here is a simple attachment';
const PHOTO = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x2d, 0x2d]);

const withAttachments = (n: number, ...attachments: Record<string, unknown>[]) => ({ ...realistic(n), attachments });

describe.each(DATABASE_KINDS)('statements with attachments in the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind, { bodyLimitBytes: 64 * 1024 });

  const postParts = (parts: TestPart[], type = MULTIPART_TYPE) => lrs.post('/xapi/statements', multipartBody(parts)).set('Content-Type', type);
  const counts = async () => {
    const { rows } = await lrs.database.query<{ statements: number; attachments: number }>(
      `SELECT (SELECT count(*)::int FROM lrs_statements) AS statements, (SELECT count(*)::int FROM lrs_attachments) AS attachments`,
    );
    return rows[0]!;
  };
  const getRaw = (path: string) => rawBody(lrs.get(path));

  it('stores a multipart POST with its attachment data and returns both with attachments=true', async () => {
    const statement = withAttachments(1, attachmentOf(CERTIFICATE), attachmentOf(PHOTO, { contentType: 'image/png' }));
    const res = await postParts([jsonPart(statement), dataPart(CERTIFICATE), dataPart(PHOTO, { contentType: 'image/png' })]).expect(200);
    expect(res.body).toEqual([sid(1)]);
    expect(await counts()).toEqual({ statements: 1, attachments: 2 });

    const single = await getRaw(`/xapi/statements?statementId=${sid(1)}&attachments=true`).expect(200);
    expect(single.headers['content-type']).toMatch(/^multipart\/mixed; boundary=/);
    const parts = parseMultipart(single.body as Buffer, multipartBoundary(single.headers['content-type']!));
    expect(parts[0]!.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(parts[0]!.body.toString()).id).toBe(sid(1));
    const data = new Map(parts.slice(1).map((p) => [p.headers.get('x-experience-api-hash'), p]));
    expect(data.get(sha256(CERTIFICATE))!.body.toString()).toBe(CERTIFICATE);
    expect(data.get(sha256(PHOTO))!.body.equals(PHOTO)).toBe(true);
    expect(data.get(sha256(PHOTO))!.headers.get('content-type')).toBe('image/png');
    expect(data.get(sha256(PHOTO))!.headers.get('content-transfer-encoding')).toBe('binary');

    // attachments=false (the default) answers JSON without the data.
    const plain = await lrs.get(`/xapi/statements?statementId=${sid(1)}&attachments=false`).expect(200);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.body.attachments).toHaveLength(2);
  });

  it('stores a multipart PUT with 204', async () => {
    const statement = withAttachments(2, attachmentOf(CERTIFICATE));
    await lrs
      .put(`/xapi/statements?statementId=${sid(2)}`, multipartBody([jsonPart(statement), dataPart(CERTIFICATE)]))
      .set('Content-Type', MULTIPART_TYPE)
      .expect(204);
    expect(await counts()).toEqual({ statements: 1, attachments: 1 });
  });

  it('stores data used by several statements once, sent once, and returns it once per page', async () => {
    const batch = [withAttachments(1, attachmentOf(CERTIFICATE)), withAttachments(2, attachmentOf(CERTIFICATE))];
    await postParts([jsonPart(batch), dataPart(CERTIFICATE)]).expect(200);
    await postParts([jsonPart(withAttachments(3, attachmentOf(CERTIFICATE))), dataPart(CERTIFICATE)]).expect(200);
    expect(await counts()).toEqual({ statements: 3, attachments: 1 });
    const page = await getRaw('/xapi/statements?attachments=true').expect(200);
    const parts = parseMultipart(page.body as Buffer, multipartBoundary(page.headers['content-type']!));
    expect(JSON.parse(parts[0]!.body.toString()).statements).toHaveLength(3);
    expect(parts).toHaveLength(2);
  });

  it('keeps attachments=true in the more IRL', async () => {
    await postParts([jsonPart([withAttachments(1, attachmentOf(CERTIFICATE)), withAttachments(2, attachmentOf(PHOTO))]), dataPart(CERTIFICATE), dataPart(PHOTO)]).expect(200);
    const first = await getRaw('/xapi/statements?attachments=true&limit=1&ascending=true').expect(200);
    const firstParts = parseMultipart(first.body as Buffer, multipartBoundary(first.headers['content-type']!));
    const more = JSON.parse(firstParts[0]!.body.toString()).more as string;
    expect(firstParts.slice(1).map((p) => p.headers.get('x-experience-api-hash'))).toEqual([sha256(CERTIFICATE)]);
    const next = await getRaw(more).expect(200);
    const nextParts = parseMultipart(next.body as Buffer, multipartBoundary(next.headers['content-type']!));
    expect(JSON.parse(nextParts[0]!.body.toString()).statements[0].id).toBe(sid(2));
    expect(nextParts[1]!.body.equals(PHOTO)).toBe(true);
  });

  it('accepts attachments that only have a fileUrl, as JSON or multipart, and stores no data for them', async () => {
    const remote = attachmentOf('elsewhere', { fileUrl: 'https://files.example.org/certificate.txt' });
    await lrs.post('/xapi/statements', withAttachments(1, remote)).expect(200);
    await postParts([jsonPart(withAttachments(2, remote))]).expect(200);
    await postParts([jsonPart(realistic(3))]).expect(200);
    expect(await counts()).toEqual({ statements: 3, attachments: 0 });
    const res = await getRaw(`/xapi/statements?statementId=${sid(1)}&attachments=true`).expect(200);
    expect(parseMultipart(res.body as Buffer, multipartBoundary(res.headers['content-type']!))).toHaveLength(1);
  });

  it('refuses with 400 a JSON request with an attachment that has no fileUrl', async () => {
    const res = await lrs.post('/xapi/statements', [realistic(1), withAttachments(2, attachmentOf(CERTIFICATE))]).expect(400);
    expect(res.body.detail).toMatch(/^statements\[1\]\.attachments\[0\]: .*multipart/);
    expect(await counts()).toEqual({ statements: 0, attachments: 0 });
  });

  const refusals: [string, () => TestPart[], RegExp][] = [
    ['a missing part', () => [jsonPart(withAttachments(1, attachmentOf(CERTIFICATE)))], /no part has the SHA-2/],
    ['a part whose content does not have its hash', () => [jsonPart(withAttachments(1, attachmentOf(CERTIFICATE))), dataPart('something else', { hash: sha256(CERTIFICATE) })], /does not have the SHA-2 hash/],
    ['a part no attachment declares', () => [jsonPart(withAttachments(1, attachmentOf(CERTIFICATE))), dataPart(CERTIFICATE), dataPart(PHOTO)], /belongs to no attachment/],
    ['a part without X-Experience-API-Hash', () => [jsonPart(withAttachments(1, attachmentOf(CERTIFICATE))), { headers: ['Content-Type: text/plain', 'Content-Transfer-Encoding: binary'], body: CERTIFICATE }], /X-Experience-API-Hash header is required/],
    ['a part without Content-Transfer-Encoding', () => [jsonPart(withAttachments(1, attachmentOf(CERTIFICATE))), { headers: ['Content-Type: text/plain', `X-Experience-API-Hash: ${sha256(CERTIFICATE)}`], body: CERTIFICATE }], /Content-Transfer-Encoding header must be binary/],
    ['a part in base64', () => [jsonPart(withAttachments(1, attachmentOf(CERTIFICATE))), { headers: ['Content-Type: text/plain', 'Content-Transfer-Encoding: base64', `X-Experience-API-Hash: ${sha256(CERTIFICATE)}`], body: CERTIFICATE }], /must be binary/],
    ['a part whose Content-Type differs from the contentType', () => [jsonPart(withAttachments(1, attachmentOf(CERTIFICATE))), dataPart(CERTIFICATE, { contentType: 'image/png' })], /contentType: differs/],
    ['a first part that is not application/json', () => [{ headers: ['Content-Type: text/plain'], body: JSON.stringify(realistic(1)) }], /first part must hold the statements/],
    ['a first part that is not JSON', () => [{ headers: ['Content-Type: application/json'], body: '{"actor":' }], /not valid JSON/],
  ];
  for (const [what, parts, message] of refusals) {
    it(`refuses with 400 a multipart request with ${what}, and stores nothing`, async () => {
      const res = await postParts(parts()).expect(400);
      expect(res.body.detail).toMatch(message);
      expect(await counts()).toEqual({ statements: 0, attachments: 0 });
    });
  }

  it('refuses with 400 a multipart request without a boundary, or whose body does not use it', async () => {
    const parts = [jsonPart(realistic(1))];
    expect((await postParts(parts, 'multipart/mixed').expect(400)).body.detail).toContain('no boundary');
    expect((await postParts(parts, 'multipart/mixed; boundary=another').expect(400)).body.detail).toContain('does not contain the boundary');
    expect((await postParts(parts, 'multipart/mixed; boundary="bad<boundary>"').expect(400)).body.detail).toContain('not a valid');
    expect(await counts()).toEqual({ statements: 0, attachments: 0 });
  });

  it('stores no data for a statement that was already stored', async () => {
    const remote = attachmentOf(CERTIFICATE, { fileUrl: 'https://files.example.org/certificate.txt' });
    await lrs.post('/xapi/statements', withAttachments(1, remote)).expect(200);
    await postParts([jsonPart(withAttachments(1, remote)), dataPart(CERTIFICATE)]).expect(200);
    expect(await counts()).toEqual({ statements: 1, attachments: 0 });
  });

  it('refuses with 413 a multipart body over the limit', async () => {
    const big = Buffer.alloc(70 * 1024, 7);
    await postParts([jsonPart(withAttachments(1, attachmentOf(big, { contentType: 'application/octet-stream' }))), dataPart(big, { contentType: 'application/octet-stream' })]).expect(413);
    expect(await counts()).toEqual({ statements: 0, attachments: 0 });
  });
});
