/**
 * SigV4 verification: the direct canonicalization of `POST /` requests gives exactly the text
 * @smithy/signature-v4 builds, and verification still checks every request's signature.
 */
import { HttpRequest } from '@smithy/protocol-http';
import { getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { authenticate, rootCanonicalRequest } from './auth';
import { DEFAULT_IDENTITIES } from './identities';
import { Sha256 } from './sha256';

/** @smithy/signature-v4's canonical request, through its own (protected) method. */
class Reference extends SignatureV4 {
  constructor() {
    super({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'kms', sha256: Sha256 });
  }
  async canonical(method: string, path: string, sent: Record<string, string>, signed: string[], body: string): Promise<string> {
    // As the verifier has always done: a signed header that was not sent counts as empty.
    const headers = Object.fromEntries(signed.map((name) => [name, sent[name] ?? '']));
    const request = new HttpRequest({ method, protocol: 'http:', hostname: headers.host ?? '', path, headers, body });
    const hash = new Sha256();
    hash.update(body);
    const payload = headers['x-amz-content-sha256'] ?? Buffer.from(await hash.digest()).toString('hex');
    return this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, new Set(signed)), payload);
  }
}

const identities = new Map(DEFAULT_IDENTITIES.map((i) => [i.accessKeyId, i]));

async function signed(headers: Record<string, string>, body: string, signingDate?: Date) {
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'eu-west-2', service: 'kms', sha256: Sha256 });
  const request = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4599, path: '/', headers: { host: '127.0.0.1:4599', ...headers }, body }), { signingDate });
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) lower[name.toLowerCase()] = value;
  return { method: 'POST', path: '/', headers: lower, authorization: lower.authorization, body };
}

describe('SigV4 canonical requests for POST /', () => {
  const reference = new Reference();
  const cases: [string, Record<string, string>, string[], string][] = [
    ['an SDK request', { host: '127.0.0.1:4599', 'content-type': 'application/x-amz-json-1.1', 'x-amz-date': '20261123T120000Z', 'x-amz-target': 'TrentService.Encrypt' }, ['content-type', 'host', 'x-amz-date', 'x-amz-target'], '{"KeyId":"k"}'],
    ['blanks to fold and trim', { host: 'h', 'x-amz-date': '20261123T120000Z', 'x-odd': '  a \t  b\t ', 'user-agent': 'aws-cli/2 Python/3' }, ['x-odd', 'host', 'x-amz-date', 'user-agent'], ''],
    ['a signed header that was not sent', { host: 'h', 'x-amz-date': '20261123T120000Z' }, ['host', 'x-amz-date', 'x-missing'], 'ünïcødé ✓'],
    ['a declared payload hash', { host: 'h', 'x-amz-date': '20261123T120000Z', 'x-amz-content-sha256': '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' }, ['host', 'x-amz-content-sha256', 'x-amz-date'], '{}'],
  ];
  for (const [what, headers, names, body] of cases) {
    it(`matches @smithy/signature-v4 for ${what}`, async () => {
      expect(rootCanonicalRequest('POST', '/', headers, names, body)).toBe(await reference.canonical('POST', '/', headers, names, body));
    });
  }

  it('leaves other paths, repeated and empty names to @smithy/signature-v4', () => {
    expect(rootCanonicalRequest('POST', '/x', { host: 'h' }, ['host'], '')).toBeUndefined();
    expect(rootCanonicalRequest('POST', '/?a=b', { host: 'h' }, ['host'], '')).toBeUndefined();
    expect(rootCanonicalRequest('POST', '/', { host: 'h' }, ['host', 'host'], '')).toBeUndefined();
    expect(rootCanonicalRequest('POST', '/', { host: 'h' }, ['', 'host'], '')).toBeUndefined();
  });

  // The SDK's signer also sends X-Amz-Content-SHA256: a changed body must fail even though that header still matches the signature.
  it('accepts a signed request and refuses it once anything signed changes', async () => {
    const request = await signed({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt', 'x-odd': ' a  b ' }, '{"KeyId":"alias/x"}');
    const now = Date.parse(new Date().toISOString());
    await expect(authenticate(request, identities, now)).resolves.toMatchObject({ region: 'eu-west-2', service: 'kms', identity: { accessKeyId: 'test' } });
    for (const tampered of [
      { ...request, body: '{"KeyId":"alias/y"}' },
      { ...request, headers: { ...request.headers, 'x-amz-target': 'TrentService.Decrypt' } },
      { ...request, headers: { ...request.headers, 'x-odd': 'a b c' } },
      { ...request, method: 'PUT' },
    ]) {
      await expect(authenticate(tampered, identities, now)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
    }
    // Blanks folded by canonicalization do not change the signature, as on AWS.
    await expect(authenticate({ ...request, headers: { ...request.headers, 'x-odd': 'a b' } }, identities, now)).resolves.toBeDefined();
  });
});

// What verification keeps between requests (each secret's signing key per credential scope) never stands in for a
// check: every request is verified in full against its own body, headers and clock.
describe('SigV4 verification across requests', () => {
  it('verifies a replayed request again every time: its body, and the 5-minute window at each moment', async () => {
    const request = await signed({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' }, '{"KeyId":"alias/x"}');
    const signedAt = Date.parse(request.headers['x-amz-date'].replace(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/, '$1-$2-$3T$4:$5:$6Z'));
    for (let i = 0; i < 3; i++) await expect(authenticate(request, identities, signedAt)).resolves.toBeDefined();
    // The same headers (so the same X-Amz-Date as the requests before) with another body.
    await expect(authenticate({ ...request, body: '{"KeyId":"alias/y"}' }, identities, signedAt)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
    // The very request that passed, once the clock is more than 5 minutes past or before its date.
    await expect(authenticate(request, identities, signedAt + 5 * 60_000 + 1000)).rejects.toMatchObject({ code: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired/) });
    await expect(authenticate(request, identities, signedAt - 5 * 60_000 - 1000)).rejects.toMatchObject({ code: 'InvalidSignatureException', message: expect.stringMatching(/^Signature not yet current/) });
    await expect(authenticate(request, identities, signedAt + 4 * 60_000)).resolves.toBeDefined();
    // A date header in the wrong form after a good one is still refused as such.
    const date = request.headers['x-amz-date'];
    for (const bad of ['2026-12-04T08:00:00Z', `${date.slice(0, 15)}z`, `${date.slice(0, 8)}t${date.slice(9)}`, `${date.slice(0, 10)}x${date.slice(11)}`, `${date.slice(0, 4)}+${date.slice(5)}`, `${date}0`, date.slice(0, 15)]) {
      await expect(authenticate({ ...request, headers: { ...request.headers, 'x-amz-date': bad } }, identities, signedAt), bad).rejects.toMatchObject({ code: 'IncompleteSignatureException' });
    }
    // A well-formed date of another day than the credential scope's.
    await expect(authenticate({ ...request, headers: { ...request.headers, 'x-amz-date': `20200101${date.slice(8)}` } }, identities, signedAt)).rejects.toMatchObject({ code: 'InvalidSignatureException', message: expect.stringMatching(/^Date in Credential scope does not match/) });
    const { 'x-amz-date': _, ...withoutDate } = request.headers;
    await expect(authenticate({ ...request, headers: withoutDate }, identities, signedAt)).rejects.toMatchObject({ code: 'IncompleteSignatureException' });
  });

  it('checks each request against its own X-Amz-Date, whatever the request before carried', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const fresh = await signed({ 'x-amz-target': 'TrentService.ListKeys' }, '{}', new Date(now));
    const old = await signed({ 'x-amz-target': 'TrentService.ListKeys' }, '{}', new Date(now - 10 * 60_000));
    await expect(authenticate(fresh, identities, now)).resolves.toBeDefined();
    await expect(authenticate(old, identities, now)).rejects.toMatchObject({ code: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired/) });
    await expect(authenticate(old, identities, now - 10 * 60_000)).resolves.toBeDefined();
    await expect(authenticate(fresh, identities, now - 10 * 60_000)).rejects.toMatchObject({ code: 'InvalidSignatureException', message: expect.stringMatching(/^Signature not yet current/) });
    await expect(authenticate(fresh, identities, now)).resolves.toBeDefined();
  });

  it('reads the values of the signed headers from each request, whichever header names were signed before', async () => {
    const now = Date.parse(new Date().toISOString());
    const plain = await signed({ 'x-amz-target': 'TrentService.ListKeys' }, '{}');
    const more = await signed({ 'x-amz-target': 'TrentService.ListKeys', 'x-odd': 'v' }, '{}');
    await expect(authenticate(plain, identities, now)).resolves.toBeDefined();
    await expect(authenticate(more, identities, now)).resolves.toBeDefined();
    await expect(authenticate({ ...more, headers: { ...more.headers, 'x-odd': 'w' } }, identities, now)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
    await expect(authenticate({ ...plain, headers: { ...plain.headers, 'x-amz-target': 'TrentService.CreateKey' } }, identities, now)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
    // The same signature with a header left out of SignedHeaders no longer matches.
    const fewer = more.authorization.replace(';x-odd', '');
    expect(fewer).not.toBe(more.authorization);
    await expect(authenticate({ ...more, authorization: fewer, headers: { ...more.headers, authorization: fewer } }, identities, now)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
  });

  it("signs with each identity's own secret for each credential scope", async () => {
    const admin = await signed({ 'x-amz-target': 'TrentService.ListKeys' }, '{}');
    const now = Date.parse(new Date().toISOString());
    await expect(authenticate(admin, identities, now)).resolves.toMatchObject({ identity: { accessKeyId: 'test' }, region: 'eu-west-2' });
    // The same request claimed by another access key (another secret) fails, though test's key for this scope is known by now.
    const claimed = { ...admin, authorization: admin.authorization.replace('Credential=test/', 'Credential=AKIAAUDITOR00000001/') };
    await expect(authenticate({ ...claimed, headers: { ...admin.headers, authorization: claimed.authorization } }, identities, now)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
    // A credential scope whose region is not one is refused as such, before any signature is computed for it.
    const nowhere = admin.authorization.replace('/eu-west-2/', '/moon/');
    await expect(authenticate({ ...admin, authorization: nowhere, headers: { ...admin.headers, authorization: nowhere } }, identities, now)).rejects.toMatchObject({
      code: 'UnrecognizedClientException',
      message: "The region 'moon' in the credential scope is not a valid AWS Region.",
    });
    // Another region in the scope than the one signed for fails too.
    const moved = admin.authorization.replace('/eu-west-2/', '/us-east-1/');
    await expect(authenticate({ ...admin, authorization: moved, headers: { ...admin.headers, authorization: moved } }, identities, now)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
  });
});
