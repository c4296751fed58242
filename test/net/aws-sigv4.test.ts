import { describe, expect, it } from 'vitest';
import { EMPTY_BODY_SHA256, parseAuthorization, signatureOf, signRequest } from '../../src/net/aws-sigv4.js';

// The published example of the S3 API reference, "Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk", Example: GET Object.
const example = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  now: new Date('2013-05-24T00:00:00Z'),
  region: 'us-east-1',
};

describe('AWS Signature Version 4', () => {
  it('signs the GET object example of the AWS documentation to its published signature', () => {
    const { headers, signature } = signRequest(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { Range: 'bytes=0-9' }, region: example.region, now: example.now },
      example.credentials,
    );
    expect(signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
    expect(headers['x-amz-content-sha256']).toBe(EMPTY_BODY_SHA256);
  });

  it('signs the GET bucket (list objects) example with its query to its published signature', () => {
    const { signature } = signRequest({ method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J'), region: example.region, now: example.now }, example.credentials);
    expect(signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('signs the session token of temporary credentials and UNSIGNED-PAYLOAD', () => {
    const { headers } = signRequest(
      { method: 'GET', url: new URL('http://127.0.0.1:9000/bucket/a%20b.txt'), region: 'eu-west-1', now: example.now, payloadHash: 'UNSIGNED-PAYLOAD' },
      { ...example.credentials, sessionToken: 'token-1' },
    );
    const auth = parseAuthorization(headers.authorization)!;
    expect(auth.signedHeaders).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']);
    const recomputed = signatureOf({
      method: 'GET', url: new URL('http://127.0.0.1:9000/bucket/a%20b.txt'), region: 'eu-west-1', service: 's3', secretAccessKey: example.credentials.secretAccessKey, date: '20130524T000000Z',
      headers: { host: '127.0.0.1:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-date': '20130524T000000Z', 'x-amz-security-token': 'token-1' },
    });
    expect(auth.signature).toBe(recomputed);
    expect(JSON.stringify(headers)).not.toContain(example.credentials.secretAccessKey);
  });

  it('reads no Authorization header that is not SigV4', () => {
    expect(parseAuthorization('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(parseAuthorization(undefined)).toBeUndefined();
  });
});
