/**
 * AWS STS in the emulator: GetCallerIdentity and AssumeRole over the AWS Query protocol (form-encoded
 * POST, XML answers and XML errors shaped as STS shapes them), SigV4-verified for service `sts`.
 * AssumeRole hands out temporary credentials (ASIA… key, secret, session token, expiry on the
 * emulator's clock) that KMS and CloudTrail then accept as the assumed-role session.
 */
import crypto from 'node:crypto';
import { evaluate, type ContextValue } from '../policy';
import { authenticate, ExpiredTokenException, identify, type Caller } from './auth';
import { policyDocument } from './authorize';
import { KmsError } from './errors';
import type { Identity, Role } from './identities';
import type { WireRequest, WireResponse } from './protocol';

const VERSION = '2011-06-15';
const XMLNS = `https://sts.amazonaws.com/doc/${VERSION}/`;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const TOKEN_PREFIX = 'KDS1';

/** An STS error as STS names it (`<Code>`), with its HTTP status and fault side. */
export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** The STS names and statuses of the signature checks' failures (shared with KMS, named differently there). */
const AUTH_ERRORS: Record<string, [code: string, status: number]> = {
  UnrecognizedClientException: ['InvalidClientTokenId', 403],
  InvalidSignatureException: ['SignatureDoesNotMatch', 403],
  IncompleteSignatureException: ['IncompleteSignature', 400],
  MissingAuthenticationTokenException: ['MissingAuthenticationToken', 403],
  ExpiredTokenException: ['ExpiredToken', 400],
};

/** True for a request meant for STS: no X-Amz-Target, and a form body or a credential scope for `sts`. */
export function isStsRequest(request: WireRequest): boolean {
  if (request.headers['x-amz-target'] !== undefined) return false;
  if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return true;
  return /Credential=[^/,\s]+\/\d{8}\/[a-z0-9-]+\/sts\//.test(request.headers.authorization ?? '');
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const idOf = (prefix: string, text: string) => prefix + crypto.createHash('sha256').update(text).digest().toString('hex').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17);

/** The aws:userid of an identity: AIDA… for an IAM user, AROA…:session for a role session, the account for root. */
export function userIdOf(identity: Pick<Identity, 'arn' | 'accountId'>): string {
  const assumed = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(identity.arn);
  if (assumed) return `${idOf('AROA', `arn:aws:iam::${assumed[1]}:role/${assumed[2]}`)}:${assumed[3]}`;
  if (identity.arn.endsWith(':root')) return identity.accountId;
  return idOf('AIDA', identity.arn);
}

interface SessionClaims {
  /** Access key id. */
  a: string;
  /** Role ARN. */
  r: string;
  /** Session name. */
  s: string;
  /** Expiry, epoch ms on the emulator's clock. */
  e: number;
}

export interface IssuedSession {
  identity: Identity;
  expiration: Date;
  sessionToken: string;
}

/**
 * Temporary credentials without server-side state: the session token carries the role, session name
 * and expiry under an HMAC, and the secret is an HMAC of the access key id. The HMAC key is derived
 * from the emulator's identities, so the standalone server's data-plane worker threads (given the
 * same identities) accept the sessions the main thread issued, and sessions outlive a restart as AWS's
 * do. The identities' secrets are demo values, so this protects nothing beyond the emulator's honesty.
 */
export class Sessions {
  private readonly key: Buffer;
  private readonly roles: Map<string, Role>;

  constructor(identities: readonly Identity[], roles: readonly Role[]) {
    const material = identities.map((i) => `${i.accessKeyId}\n${i.secretAccessKey}`).sort().join('\n');
    this.key = crypto.createHash('sha256').update(`keydeck-sts-session-key\n${material}`).digest();
    this.roles = new Map(roles.map((r) => [r.arn, r]));
  }

  role(arn: string): Role | undefined {
    return this.roles.get(arn);
  }

  private mac(text: string): string {
    return crypto.createHmac('sha256', this.key).update(text).digest('base64url');
  }

  private secretOf(accessKeyId: string): string {
    return crypto.createHmac('sha256', this.key).update(`secret\n${accessKeyId}`).digest('base64').slice(0, 40);
  }

  private identityOf(role: Role, claims: SessionClaims): Identity {
    const name = role.arn.slice(role.arn.indexOf(':role/') + ':role/'.length).split('/').pop()!;
    return {
      accountId: role.accountId,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${name}/${claims.s}`,
      accessKeyId: claims.a,
      secretAccessKey: this.secretOf(claims.a),
      policies: role.policies,
      description: `Session ${claims.s} of ${role.arn}`,
    };
  }

  issue(role: Role, sessionName: string, expiresAt: number): IssuedSession {
    // ASIA + 16 characters of [A-Z2-7], as AWS's temporary access key ids look.
    const accessKeyId = `ASIA${crypto.randomBytes(10).toString('base64').replace(/[^A-Z2-7]/gi, '').toUpperCase().padEnd(16, 'Q').slice(0, 16)}`;
    const claims: SessionClaims = { a: accessKeyId, r: role.arn, s: sessionName, e: expiresAt };
    const payload = b64url(JSON.stringify(claims));
    const sessionToken = `${TOKEN_PREFIX}.${payload}.${this.mac(payload)}`;
    return { identity: this.identityOf(role, claims), expiration: new Date(expiresAt), sessionToken };
  }

  /** The identity of a live session; undefined when the key and token are no session's; ExpiredTokenException past its expiry. */
  resolve(accessKeyId: string, sessionToken: string | undefined, now: number): Identity | undefined {
    if (!accessKeyId.startsWith('ASIA') || !sessionToken) return undefined;
    const [prefix, payload, mac] = sessionToken.split('.');
    if (prefix !== TOKEN_PREFIX || !payload || !mac) return undefined;
    const expected = Buffer.from(this.mac(payload));
    if (expected.length !== mac.length || !crypto.timingSafeEqual(expected, Buffer.from(mac))) return undefined;
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
    } catch {
      return undefined;
    }
    if (claims.a !== accessKeyId) return undefined;
    const role = this.roles.get(claims.r);
    if (!role) return undefined;
    if (now >= claims.e) throw new ExpiredTokenException('The security token included in the request is expired');
    return this.identityOf(role, claims);
  }
}

export interface StsOptions {
  identities: ReadonlyMap<string, Identity>;
  sessions: Sessions;
  enforceAccess: boolean;
  /** The emulator's clock (session expiry). */
  clock: () => number;
  /** The wall clock SigV4 timestamps are checked against. */
  signatureClock: () => number;
  onRequest?: (entry: { operation: string; region?: string; status: number; errorCode?: string; ms: number }) => void;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const element = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;

function success(operation: string, result: string, requestId: string): WireResponse {
  const xml = `<${operation}Response xmlns="${XMLNS}">\n  <${operation}Result>\n${result}  </${operation}Result>\n  <ResponseMetadata>\n    ${element('RequestId', requestId)}\n  </ResponseMetadata>\n</${operation}Response>\n`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: Buffer.from(xml) };
}

function failure(error: StsError, requestId: string): WireResponse {
  const xml = `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    ${element('Type', error.type)}\n    ${element('Code', error.code)}\n    ${element('Message', error.message)}\n  </Error>\n  ${element('RequestId', requestId)}\n</ErrorResponse>\n`;
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: Buffer.from(xml) };
}

/** "1 validation error detected: …" in STS's words (its members are named in lower camel case). */
function invalid(member: string, value: string | null, constraint: string): StsError {
  const shown = value === null ? 'null' : `'${value}'`;
  return new StsError('ValidationError', `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

/** STS's answer to form-encoded Query requests. */
export function createSts(options: StsOptions): (request: WireRequest) => Promise<WireResponse> {
  const { identities, sessions } = options;
  const resolveSession = (accessKeyId: string, token: string | undefined) => sessions.resolve(accessKeyId, token, options.clock());

  const getCallerIdentity = (caller: Caller): string =>
    `    ${element('Arn', caller.identity.arn)}\n    ${element('UserId', userIdOf(caller.identity))}\n    ${element('Account', caller.identity.accountId)}\n`;

  const assumeRole = (caller: Caller, params: URLSearchParams, sourceIp: string | undefined): string => {
    const roleArn = params.get('RoleArn');
    const sessionName = params.get('RoleSessionName');
    const duration = params.get('DurationSeconds');
    if (roleArn === null) throw invalid('roleArn', null, 'Member must not be null');
    if (roleArn.length < 20 || roleArn.length > 2048) throw invalid('roleArn', roleArn, `Member must have length ${roleArn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`);
    if (sessionName === null) throw invalid('roleSessionName', null, 'Member must not be null');
    if (sessionName.length < 2 || sessionName.length > 64) {
      throw invalid('roleSessionName', sessionName, `Member must have length ${sessionName.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64'}`);
    }
    if (!SESSION_NAME.test(sessionName)) throw invalid('roleSessionName', sessionName, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    const seconds = duration === null ? 3600 : Number(duration);
    if (!Number.isInteger(seconds)) throw new StsError('MalformedInput', `Invalid value for DurationSeconds: ${duration}`);
    if (seconds < 900 || seconds > 43200) {
      throw invalid('durationSeconds', String(seconds), `Member must have value ${seconds < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200'}`);
    }
    // Session policies would narrow the session's permissions; refusing them beats silently ignoring them.
    if (params.has('Policy') || [...params.keys()].some((k) => k.startsWith('PolicyArns.'))) {
      throw new StsError('ValidationError', 'Session policies (Policy, PolicyArns) are not supported by the Keydeck emulator.');
    }

    const now = options.clock();
    const role = sessions.role(roleArn);
    const refused = new StsError('AccessDenied', `User: ${caller.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    // A role that does not exist is refused exactly like one that does not trust the caller, as in AWS.
    if (!role) throw refused;
    if (options.enforceAccess) {
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: role.trustedPrincipals }, Action: 'sts:AssumeRole', Resource: '*' }] });
      const context: Record<string, ContextValue> = { 'aws:CurrentTime': new Date(now) };
      if (sourceIp) context['aws:SourceIp'] = sourceIp;
      const decision = evaluate({
        action: 'sts:AssumeRole',
        principal: { arn: caller.identity.arn, account: caller.identity.accountId },
        resource: role.arn,
        keyAccount: role.accountId,
        keyPolicy: policyDocument(trust, 'key-policy'),
        identityPolicies: caller.identity.policies.map((p) => policyDocument(p, 'identity-policy')),
        context,
      });
      if (decision.decision !== 'Allow') throw refused;
    }
    if (seconds > role.maxSessionDuration) {
      throw new StsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const session = sessions.issue(role, sessionName, now + seconds * 1000);
    const expiration = session.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return (
      `    <Credentials>\n      ${element('AccessKeyId', session.identity.accessKeyId)}\n      ${element('SecretAccessKey', session.identity.secretAccessKey)}\n` +
      `      ${element('SessionToken', session.sessionToken)}\n      ${element('Expiration', expiration)}\n    </Credentials>\n` +
      `    <AssumedRoleUser>\n      ${element('AssumedRoleId', userIdOf(session.identity))}\n      ${element('Arn', session.identity.arn)}\n    </AssumedRoleUser>\n`
    );
  };

  return async (request) => {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    let operation = '-';
    let caller: Caller | undefined;
    let response: WireResponse;
    let errorCode: string | undefined;
    try {
      const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8');
      const queryAt = request.path.indexOf('?');
      const params = new URLSearchParams(request.method === 'POST' ? body : queryAt < 0 ? '' : request.path.slice(queryAt + 1));
      operation = (params.get('Action') ?? '-').slice(0, 64);
      const signed = { ...request, authorization: request.headers.authorization ?? null };
      try {
        caller = options.enforceAccess ? await authenticate(signed, identities, options.signatureClock(), resolveSession) : identify(signed, identities, resolveSession);
      } catch (error) {
        if (!(error instanceof KmsError) || !AUTH_ERRORS[error.code]) throw error;
        const [code, status] = AUTH_ERRORS[error.code];
        throw new StsError(code, error.message, status);
      }
      if (caller.service !== 'sts') throw new StsError('SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'.", 403);
      const version = params.get('Version');
      if (version !== null && version !== VERSION) throw new StsError('InvalidAction', `Could not find operation ${operation} for version ${version}`);
      if (operation === 'GetCallerIdentity') response = success(operation, getCallerIdentity(caller), requestId);
      else if (operation === 'AssumeRole') response = success(operation, assumeRole(caller, params, request.sourceIp), requestId);
      else if (params.get('Action') === null) throw new StsError('MissingAction', 'Missing Action');
      else throw new StsError('InvalidAction', `Could not find operation ${operation} for version ${version ?? VERSION}`);
    } catch (thrown) {
      let error = thrown;
      if (!(error instanceof StsError)) {
        console.error(`sts emulator: internal error in ${operation}:`, error instanceof Error ? error.stack : error);
        error = new StsError('InternalFailure', 'An internal error occurred in the STS emulator.', 500, 'Receiver');
      }
      errorCode = (error as StsError).code;
      response = failure(error as StsError, requestId);
    }
    options.onRequest?.({ operation: `sts:${operation}`, region: caller?.region, status: response.status, errorCode, ms: performance.now() - started });
    return response;
  };
}
