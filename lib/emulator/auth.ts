/**
 * Who is calling: the SigV4 Authorization header is verified against the identity's secret, over
 * exactly the headers the client signed (@smithy/signature-v4's canonical request, node:crypto HMACs); region and access key come from its
 * credential scope.
 */
import crypto from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import { IncompleteSignatureException, InvalidSignatureException, KmsError, MissingAuthenticationTokenException, UnrecognizedClientException } from './errors';
import type { Identity } from './identities';
import { Sha256 } from './sha256';

export const DEFAULT_REGION = 'us-east-1';

/** What the authentication needs from a request (a web Request, a Node request or the SDK's HttpRequest). */
export interface SignedRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  authorization: string | null;
  body: Uint8Array | string;
}

export interface Caller {
  identity: Identity;
  region: string;
  /** The service the request was signed for ('kms', 'cloudtrail'). */
  service: string;
}

/** Temporary credentials (from STS AssumeRole) used after their expiry. */
export class ExpiredTokenException extends KmsError {
  override readonly code = 'ExpiredTokenException';
}

/**
 * Resolves temporary credentials: the session's identity when `accessKeyId` and the
 * X-Amz-Security-Token belong to a live session, undefined when they are not a session's; throws
 * ExpiredTokenException for an expired one.
 */
export type SessionResolver = (accessKeyId: string, sessionToken: string | undefined) => Identity | undefined;

/** Groups: access key, the credential scope (date/region/service: the parts hold no slash), the signed header names, the signature. */
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8}\/[a-z0-9-]+\/[a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** AWS refuses a request signed more than 5 minutes before or after its own clock. */
const MAX_SKEW_MS = 5 * 60_000;

/** A credential scope (`20261204/us-east-1/kms`) with what every request signed for it shares, made once per secret and scope. */
interface SigningScope {
  date: string;
  region: string;
  service: string;
  /** HMAC-SHA256 of the scope under `AWS4<secret>`: the key each request's string to sign is signed with. */
  key: Buffer;
  /** The string to sign after its date line: `<scope>/aws4_request` and the line break before the canonical request's hash. */
  scopeLine: string;
}

/**
 * Recomputes a request's signature. Canonicalization (path escaping, header and query forms) is
 * @smithy/signature-v4's own, reached through its protected createCanonicalRequest; the hashing and
 * HMACs are node:crypto, synchronous, with the signing key derived once per secret and credential scope.
 */
class SignatureVerifier extends SignatureV4 {
  /** Secret → credential scope → its signing key: a handful of identities, each signing for a day, region and service at a time. */
  private readonly scopes = new Map<string, Map<string, SigningScope>>();

  constructor() {
    // The credentials and region here are never used: every check passes its own.
    super({ credentials: { accessKeyId: '-', secretAccessKey: '-' }, region: DEFAULT_REGION, service: 'kms', sha256: Sha256, applyChecksum: false });
  }

  signature(request: HttpRequest, signedNames: readonly string[], longDate: string, scope: SigningScope): string {
    const headers = getCanonicalHeaders(request, undefined, new Set(signedNames));
    return this.signCanonical(this.createCanonicalRequest(request, headers, payloadHash(request.body)), longDate, scope);
  }

  signCanonical(canonicalRequest: string, longDate: string, scope: SigningScope): string {
    const toSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope.scopeLine}${crypto.hash('sha256', canonicalRequest, 'hex')}`;
    return crypto.createHmac('sha256', scope.key).update(toSign).digest('hex');
  }

  /**
   * The signing scope `date/region/service` (`id`, in a well-formed Authorization header) of `secret`, made on its
   * first use only (four HMACs); UnrecognizedClientException if the region is not one.
   */
  scope(secret: string, id: string): SigningScope {
    let bySecret = this.scopes.get(secret);
    if (!bySecret) {
      if (this.scopes.size >= 1000) this.scopes.clear();
      this.scopes.set(secret, (bySecret = new Map()));
    }
    let scope = bySecret.get(id);
    if (!scope) {
      const [date, region, service] = id.split('/');
      if (!REGION.test(region)) throw new UnrecognizedClientException(`The region '${region}' in the credential scope is not a valid AWS Region.`);
      const hmac = (k: string | Buffer, data: string) => crypto.createHmac('sha256', k).update(data).digest();
      const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
      if (bySecret.size >= 100) bySecret.clear();
      bySecret.set(id, (scope = { date, region, service, key, scopeLine: `${id}/aws4_request\n` }));
    }
    return scope;
  }
}
const verifier = new SignatureVerifier();

/** A header by name, never an inherited property (a client may sign a header named `constructor`). */
const own = (headers: Readonly<Record<string, string | undefined>>, name: string) => (Object.hasOwn(headers, name) ? headers[name] : undefined);

/**
 * The payload's SHA-256, always computed: an X-Amz-Content-SHA256 header is signed, but trusting it
 * would leave the body itself unauthenticated (a body that does not match it fails the signature).
 */
function payloadHash(body: Uint8Array | string | undefined): string {
  return crypto.hash('sha256', body ?? '', 'hex');
}

/** A header value that canonicalization changes: one with a line break, a tab, two blanks in a row, or a blank at either end. */
const UNCANONICAL = /[\r\n\t]| {2}|^ | $/;

/** A header value trimmed and its inner runs of blanks folded, as @smithy/signature-v4's getCanonicalHeaders does. */
const fold = (value: string) => value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');

/**
 * The canonical request of a request to `/` without a query string — every AWS JSON request (KMS,
 * CloudTrail) — built directly, as @smithy/signature-v4 builds it: its general path (path escaping,
 * query sorting, a header object filtered through regular expressions) cost more than the HMACs.
 * Undefined for anything else (another path, a query, repeated or empty names in SignedHeaders),
 * which then goes through @smithy/signature-v4's own canonicalization. lib/emulator/auth.test.ts
 * checks that both give the same text.
 */
export function rootCanonicalRequest(method: string, path: string, headers: Readonly<Record<string, string | undefined>>, signedNames: readonly string[], body: Uint8Array | string): string | undefined {
  if (path !== '/') return undefined;
  const names = sortedNames(signedNames);
  return names && canonicalRoot(method, headers, names, names.join(';'), body);
}

/** Header names sorted, as the canonical request lists them; undefined if one is empty, repeated or `__proto__`. */
function sortedNames(signedNames: readonly string[]): string[] | undefined {
  const names = [...signedNames].sort();
  for (let i = 0; i < names.length; i++) if (names[i] === '' || names[i] === names[i - 1] || names[i] === '__proto__') return undefined;
  return names;
}

/** The canonical request of `POST /` (or another method on `/`), given its signed header names sorted and joined by `;`. */
function canonicalRoot(method: string, headers: Readonly<Record<string, string | undefined>>, names: readonly string[], namesLine: string, body: Uint8Array | string): string {
  let lines = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const sent = headers[name];
    // Only own string values: an inherited property (a header named `constructor`) counts as not sent.
    const value = typeof sent === 'string' && Object.hasOwn(headers, name) ? sent : '';
    lines += `${name}:${UNCANONICAL.test(value) ? fold(value) : value}\n`;
  }
  return `${method}\n/\n\n${lines}\n${namesLine}\n${payloadHash(body)}`;
}

/** A SignedHeaders list as verification uses it: its names as sent, and (unless one is empty or repeated) sorted and joined. */
interface SignedHeaderList {
  names: readonly string[];
  sorted: readonly string[] | undefined;
  line: string;
}

/**
 * SignedHeaders lists, each split and sorted once: a client signs the same header names on every request (the
 * values, read from each request, are what change). Bounded, as a client could send any number of lists.
 */
const signedHeaderLists = new Map<string, SignedHeaderList>();
function signedHeaderList(list: string): SignedHeaderList {
  let entry = signedHeaderLists.get(list);
  if (!entry) {
    const names = Object.freeze(list.split(';'));
    const sorted = sortedNames(names);
    entry = { names, sorted: sorted && Object.freeze(sorted), line: sorted ? sorted.join(';') : '' };
    if (signedHeaderLists.size >= 1000) signedHeaderLists.clear();
    signedHeaderLists.set(list, entry);
  }
  return entry;
}

/** X-Amz-Date (`20261123T120000Z`, UTC) as epoch milliseconds; NaN unless it has exactly that form. */
function amzTime(s: string): number {
  if (s.length !== 16 || s.charCodeAt(8) !== 84 /* T */ || s.charCodeAt(15) !== 90 /* Z */) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 4, 6);
  const day = digits(s, 6, 8);
  const hour = digits(s, 9, 11);
  const minute = digits(s, 11, 13);
  const second = digits(s, 13, 15);
  return (year | month | day | hour | minute | second) < 0 ? NaN : Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The decimal number written in s[from, to), or -1 if a character there is not a digit 0–9. */
function digits(s: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The caller named by the credential scope, without checking the signature (enforceAccess: false). */
export function identify(request: Pick<SignedRequest, 'authorization'> & Partial<Pick<SignedRequest, 'headers'>>, identities: ReadonlyMap<string, Identity>, sessions?: SessionResolver): Caller {
  if (!request.authorization) throw new MissingAuthenticationTokenException('Missing Authentication Token');
  const m = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\//.exec(request.authorization);
  if (!m) throw new IncompleteSignatureException('Authorization header requires a SigV4 Credential.');
  const identity = identities.get(m[1]) ?? sessions?.(m[1], request.headers?.['x-amz-security-token']);
  if (!identity) throw new UnrecognizedClientException('The security token included in the request is invalid.');
  if (!REGION.test(m[2])) throw new UnrecognizedClientException(`The region '${m[2]}' in the credential scope is not a valid AWS Region.`);
  return { identity, region: m[2], service: m[3] };
}

/** Verifies the request's SigV4 signature; `now` is the wall clock (not the emulator's, which tests move). */
export async function authenticate(request: SignedRequest, identities: ReadonlyMap<string, Identity>, now: number, sessions?: SessionResolver): Promise<Caller> {
  return verifySignature(request, identities, now, sessions);
}

/** `authenticate` without the promise (all of its work is synchronous): the emulator's dispatch calls it on every request. */
export function verifySignature(request: SignedRequest, identities: ReadonlyMap<string, Identity>, now: number, sessions?: SessionResolver): Caller {
  const { authorization } = request;
  if (!authorization) throw new MissingAuthenticationTokenException('Missing Authentication Token');
  const m = AUTHORIZATION.exec(authorization);
  if (!m) {
    throw new IncompleteSignatureException(`Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters for AWS4-HMAC-SHA256. Authorization=${authorization.split(' ')[0]}`);
  }
  const [, accessKeyId, scopeId, signedHeaders, signature] = m;
  const identity = identities.get(accessKeyId) ?? sessions?.(accessKeyId, request.headers['x-amz-security-token']);
  if (!identity) throw new UnrecognizedClientException('The security token included in the request is invalid.');
  const scope = verifier.scope(identity.secretAccessKey, scopeId);

  const amzDate = request.headers['x-amz-date'] ?? '';
  const signedAt = amzTime(amzDate);
  if (Number.isNaN(signedAt)) throw new IncompleteSignatureException('Authorization requires the X-Amz-Date header in the form 20261123T120000Z.');
  if (!amzDate.startsWith(scope.date)) {
    throw new InvalidSignatureException(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}'`);
  }
  if (signedAt < now - MAX_SKEW_MS) {
    throw new InvalidSignatureException(`Signature expired: ${amzDate} is now earlier than ${stamp(now - MAX_SKEW_MS)} (${stamp(now)} - 5 min.)`);
  }
  if (signedAt > now + MAX_SKEW_MS) {
    throw new InvalidSignatureException(`Signature not yet current: ${amzDate} is still later than ${stamp(now + MAX_SKEW_MS)} (${stamp(now)} + 5 min.)`);
  }

  const signed = signedHeaderList(signedHeaders);
  const got =
    request.path === '/' && signed.sorted
      ? verifier.signCanonical(canonicalRoot(request.method, request.headers, signed.sorted, signed.line, request.body), amzDate, scope)
      : generalSignature(request, signed.names, amzDate, scope);
  // Both are 64 hex digits (the header's by the pattern above): compared in constant time without new buffers.
  expected.write(got, 0, 'latin1');
  provided.write(signature, 0, 'latin1');
  if (!crypto.timingSafeEqual(expected, provided)) {
    throw new InvalidSignatureException(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { identity, region: scope.region, service: scope.service };
}
const expected = Buffer.alloc(64);
const provided = Buffer.alloc(64);

/** Any request's signature, canonicalized by @smithy/signature-v4. */
function generalSignature(request: SignedRequest, signedNames: readonly string[], amzDate: string, scope: SigningScope): string {
  const headers: Record<string, string> = {};
  for (const name of signedNames) headers[name] = own(request.headers, name) ?? '';
  const queryAt = request.path.indexOf('?');
  const path = queryAt < 0 ? request.path : request.path.slice(0, queryAt);
  const query: Record<string, string | string[]> = {};
  if (queryAt >= 0) {
    for (const [k, v] of new URLSearchParams(request.path.slice(queryAt + 1))) {
      const existing = query[k];
      query[k] = existing === undefined ? v : ([] as string[]).concat(existing, v);
    }
  }
  return verifier.signature(new HttpRequest({ method: request.method, protocol: 'http:', hostname: headers.host ?? '', path, query, headers, body: request.body }), signedNames, amzDate, scope);
}
