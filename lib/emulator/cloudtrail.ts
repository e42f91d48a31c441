/**
 * CloudTrail for the emulator: every KMS call, allowed or refused, becomes an event with AWS's record
 * shape (never a plaintext or other blob), kept for 90 days and served by LookupEvents as AWS serves it.
 */
import crypto from 'node:crypto';
import { KmsError } from './errors';
import type { Identity } from './identities';
import type { Field } from './validate';

/** The JavaScript SDK sends the short form, botocore (AWS CLI, boto3) the long one. */
export const CLOUDTRAIL_TARGET_PREFIXES = ['CloudTrail_20131101.', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'];
import { RETENTION_MS, type StoredEvent, type Trail } from './trail-store';

export { RETENTION_MS, TrailStore } from './trail-store';

/** One recorded event: the lookup attributes, and the full record as CloudTrail's JSON string. */
export interface TrailEvent {
  account: string;
  region: string;
  time: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId: string;
  username: string;
  resources: { ResourceType: string; ResourceName: string }[];
  /** The CloudTrail record, serialized once. */
  json: string;
}

class CloudTrailError extends KmsError {
  constructor(
    override readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const lowerNames = new Map<string, string>();
/** A member name in lower camel case; the names are the API's few dozen members, each converted once. */
function lowerFirst(s: string): string {
  let lower = lowerNames.get(s);
  if (lower === undefined) {
    lower = s.charAt(0).toLowerCase() + s.slice(1);
    if (lowerNames.size < 10_000) lowerNames.set(s, lower);
  }
  return lower;
}

/** requestParameters/responseElements as CloudTrail writes them: lower-camel members, blobs left out. */
function parameters(value: unknown, blobs: ReadonlySet<string> = new Set()): unknown {
  if (value instanceof Uint8Array) return undefined;
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return value.map((v) => parameters(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (blobs.has(k) || v === undefined || v instanceof Uint8Array) continue;
      // Encryption context keys are data, not member names: keep them as sent.
      out[lowerFirst(k)] = k === 'EncryptionContext' || k.endsWith('EncryptionContext') ? v : parameters(v);
    }
    return out;
  }
  return value;
}

const READ_ONLY = /^(Describe|Get|List|Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateRandom|GenerateMac|VerifyMac|Sign|Verify|DeriveSharedSecret)/;

interface UserIdentity {
  type: string;
  arn: string;
  accountId: string;
  /** The LookupEvents Username attribute. */
  username: string;
  /** The record's userIdentity as JSON: the same for every call of an identity, so serialized once. */
  json: string;
}

const userIdentities = new WeakMap<Identity, UserIdentity>();
function userIdentity(identity: Identity): UserIdentity {
  let user = userIdentities.get(identity);
  if (!user) {
    const described = describeIdentity(identity);
    const username = identity.arn.split('/').pop() ?? identity.accountId;
    userIdentities.set(identity, (user = { type: described.type, arn: identity.arn, accountId: identity.accountId, username, json: JSON.stringify(described) }));
  }
  return user;
}

function describeIdentity(identity: Identity) {
  if (identity.service) return { type: 'AWSService', invokedBy: identity.service };
  // A request an AWS service made on the principal's behalf names that service (cloudtrail-event-reference-user-identity.html).
  const via = identity.viaService ? { invokedBy: identity.viaService } : {};
  const base = { principalId: principalId(identity.arn), arn: identity.arn, accountId: identity.accountId, accessKeyId: identity.accessKeyId };
  const role = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(identity.arn);
  if (role) {
    const roleArn = `arn:aws:iam::${role[1]}:role/${role[2]}`;
    return {
      type: 'AssumedRole',
      ...base,
      principalId: `${principalId(roleArn)}:${role[3]}`,
      sessionContext: { sessionIssuer: { type: 'Role', principalId: principalId(roleArn), arn: roleArn, accountId: role[1], userName: role[2] }, attributes: { mfaAuthenticated: 'false' } },
      ...via,
    };
  }
  if (identity.arn.endsWith(':root')) return { type: 'Root', ...base, principalId: identity.accountId, ...via };
  return { type: 'IAMUser', ...base, userName: identity.arn.split('/').pop(), ...via };
}

/** A stable AWS-looking unique id for a principal (AIDA… for users, AROA… for roles). */
function principalId(arn: string): string {
  const prefix = arn.includes(':role/') ? 'AROA' : 'AIDA';
  return prefix + crypto.createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase();
}

export interface EventInput {
  caller: Identity;
  region: string;
  time: number;
  operation: string;
  requestId: string;
  sourceIp?: string;
  userAgent?: string;
  /** The request as sent (parsed JSON), and which of its members are blobs. */
  request: unknown;
  blobMembers: ReadonlySet<string>;
  output?: unknown;
  errorCode?: string;
  errorMessage?: string;
  /** ARNs of the keys the request concerned. */
  keys: string[];
  /** Makes each event's id (default: a random UUID); the history generator passes a seeded one. */
  newEventId?: () => string;
}

const str = JSON.stringify;

/**
 * The events of one KMS call: one in the caller's account and, when a key is another account's, one there too.
 * The record is written as JSON text directly (its members in CloudTrail's order): this runs on every request,
 * and the identity's part never changes.
 */
export function kmsEvents(e: EventInput): TrailEvent[] {
  const readOnly = isReadOnly(e.operation);
  const accounts = [e.caller.accountId];
  for (const arn of e.keys) {
    const account = accountOf(arn);
    if (account !== accounts[0] && !accounts.includes(account)) accounts.push(account);
  }
  const eventTime = isoSecond(e.time);
  const user = userIdentity(e.caller);
  const errorCode = e.errorCode === 'AccessDeniedException' ? 'AccessDenied' : e.errorCode;
  const responseElements = readOnly || e.errorCode ? null : (parameters(e.output) ?? null);
  const resources = e.keys.length === 0 ? undefined : e.keys.length === 1 ? resourcesJson(e.keys[0]) : str(e.keys.map((arn) => ({ accountId: accountOf(arn), type: 'AWS::KMS::Key', ARN: arn })));
  // Everything but the event id and the recipient account is the same in both accounts' copies.
  const head =
    `{"eventVersion":"1.11","userIdentity":${user.json},"eventTime":"${eventTime}","eventSource":"kms.amazonaws.com",` +
    `"eventName":${str(e.operation)},"awsRegion":${str(e.region)},"sourceIPAddress":${str(e.sourceIp ?? 'AWS Internal')},"userAgent":${userAgentJson(e.userAgent ?? '')},` +
    (errorCode ? `"errorCode":${str(errorCode)},${e.errorMessage === undefined ? '' : `"errorMessage":${str(e.errorMessage)},`}` : '') +
    `"requestParameters":${str(parameters(e.request, e.blobMembers) ?? null)},"responseElements":${str(responseElements)},"requestID":${str(e.requestId)},`;
  const tail = `"readOnly":${readOnly},${resources ? `"resources":${resources},` : ''}"eventType":"AwsApiCall","managementEvent":true,`;
  // One key (nearly every call): its lookup resources are one shared, frozen list.
  const lookupResources = e.keys.length === 1 ? oneKeyLookupResources(e.keys[0]) : e.keys.map((arn) => ({ ResourceType: 'AWS::KMS::Key', ResourceName: arn }));
  return accounts.map((account) => {
    const eventId = e.newEventId ? e.newEventId() : crypto.randomUUID();
    return {
      account,
      region: e.region,
      time: e.time,
      eventId,
      eventName: e.operation,
      eventSource: 'kms.amazonaws.com',
      readOnly,
      accessKeyId: e.caller.accessKeyId,
      username: user.username,
      resources: accounts.length === 1 || Object.isFrozen(lookupResources) ? lookupResources : lookupResources.map((r) => ({ ...r })),
      json: `${head}"eventID":"${eventId}",${tail}"recipientAccountId":"${account}","eventCategory":"Management"}`,
    };
  });
}

/** The fifth field of an ARN (its account), without splitting the whole ARN. */
function accountOf(arn: string): string {
  let at = -1;
  for (let field = 0; field < 4; field++) {
    at = arn.indexOf(':', at + 1);
    if (at < 0) return arn.split(':')[4];
  }
  const end = arn.indexOf(':', at + 1);
  return end < 0 ? arn.slice(at + 1) : arn.slice(at + 1, end);
}

/** The lookup resources of an event about one key: the same for every call on that key, so made once and frozen. */
const oneKeyLookups = new Map<string, readonly { ResourceType: string; ResourceName: string }[]>();
function oneKeyLookupResources(arn: string): { ResourceType: string; ResourceName: string }[] {
  let list = oneKeyLookups.get(arn);
  if (list === undefined) {
    list = Object.freeze([Object.freeze({ ResourceType: 'AWS::KMS::Key', ResourceName: arn })]);
    if (oneKeyLookups.size >= 10_000) oneKeyLookups.clear();
    oneKeyLookups.set(arn, list);
  }
  // Frozen: no event can change what the others share.
  return list as { ResourceType: string; ResourceName: string }[];
}

/** A client sends the same User-Agent on every call: its JSON text is kept for the last one seen. */
let lastUserAgent = '';
let lastUserAgentJson = '""';
function userAgentJson(userAgent: string): string {
  if (userAgent !== lastUserAgent) {
    lastUserAgentJson = str(userAgent);
    lastUserAgent = userAgent;
  }
  return lastUserAgentJson;
}

const readOnlyOperations = new Map<string, boolean>();
function isReadOnly(operation: string): boolean {
  let yes = readOnlyOperations.get(operation);
  if (yes === undefined) {
    yes = READ_ONLY.test(operation);
    if (readOnlyOperations.size < 1000) readOnlyOperations.set(operation, yes);
  }
  return yes;
}

/** CloudTrail's eventTime (whole seconds, UTC); requests come many to a second, so the last one is kept. */
let lastSecond = NaN;
let lastIso = '';
function isoSecond(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastIso = new Date(second * 1000).toISOString().slice(0, 19) + 'Z';
  }
  return lastIso;
}

/** The `resources` member of an event about one key, serialized once per key. */
const oneKeyResources = new Map<string, string>();
function resourcesJson(arn: string): string {
  let json = oneKeyResources.get(arn);
  if (json === undefined) {
    json = str([{ accountId: accountOf(arn), type: 'AWS::KMS::Key', ARN: arn }]);
    if (oneKeyResources.size >= 10_000) oneKeyResources.clear();
    oneKeyResources.set(arn, json);
  }
  return json;
}

// ---- LookupEvents ----------------------------------------------------------------------------

const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

export const LOOKUP_SPEC: Record<string, Field> = {
  LookupAttributes: { kind: 'any' },
  StartTime: { kind: 'any' },
  EndTime: { kind: 'any' },
  EventCategory: { kind: 'enum', values: ['insight'] },
  MaxResults: { kind: 'any' },
  NextToken: { kind: 'string' },
};

const toTime = (v: unknown, what: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw new CloudTrailError('InvalidTimeRangeException', `${what} is not a valid time.`);
};

export async function lookupEvents(store: Trail, account: string, region: string, now: number, input: Record<string, unknown>) {
  const attributes = (input.LookupAttributes ?? []) as { AttributeKey?: string; AttributeValue?: string }[];
  if (!Array.isArray(attributes) || attributes.length > 1) {
    throw new CloudTrailError('InvalidLookupAttributesException', 'You can specify only one lookup attribute.');
  }
  const [attribute] = attributes;
  if (attribute && (!ATTRIBUTE_KEYS.includes(attribute.AttributeKey as AttributeKey) || typeof attribute.AttributeValue !== 'string' || attribute.AttributeValue.length === 0)) {
    throw new CloudTrailError('InvalidLookupAttributesException', `Lookup attribute key must be one of ${ATTRIBUTE_KEYS.join(', ')}, with a value.`);
  }
  const max = input.MaxResults === undefined ? 50 : input.MaxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
    throw new CloudTrailError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  }
  const start = Math.max(toTime(input.StartTime, 'StartTime') ?? 0, now - RETENTION_MS);
  const end = toTime(input.EndTime, 'EndTime') ?? now;
  if (toTime(input.StartTime, 'StartTime') !== undefined && start > end) throw new CloudTrailError('InvalidTimeRangeException', 'StartTime must be before EndTime.');
  // The token is the (time, seq, eventId) of the last event returned, bound to the query it came from.
  const query = JSON.stringify([attribute ?? null, input.StartTime ?? null, input.EndTime ?? null]);
  let after: { time: number; seq: number } | undefined;
  if (input.NextToken !== undefined) {
    try {
      const t = JSON.parse(Buffer.from(String(input.NextToken), 'base64url').toString()) as { q: string; time: unknown; seq: unknown; id: string };
      if (t.q !== query || !Number.isSafeInteger(t.time) || !Number.isSafeInteger(t.seq)) throw new Error('different query');
      after = { time: t.time as number, seq: t.seq as number };
    } catch {
      throw new CloudTrailError('InvalidNextTokenException', 'Invalid NextToken. Use the NextToken from the previous response with the same lookup attributes and time range.');
    }
  }
  // One more than a page, to know whether there is a next one. A token whose event aged out still goes on from the next older one.
  const found: StoredEvent[] = await store.page({ account, region, start, end, attribute: attribute ? { key: attribute.AttributeKey!, value: attribute.AttributeValue! } : undefined, after, limit: max + 1 });
  const more = found.length > max;
  const events = more ? found.slice(0, max) : found;
  const last = events[events.length - 1];
  return {
    Events: events.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      AccessKeyId: e.accessKeyId,
      EventTime: new Date(e.time),
      EventSource: e.eventSource,
      Username: e.username,
      Resources: e.resources,
      CloudTrailEvent: e.json,
    })),
    NextToken: more && last ? Buffer.from(JSON.stringify({ q: query, time: last.time, seq: last.seq, id: last.eventId })).toString('base64url') : undefined,
  };
}

/** AWS's LookupEvents quota: 2 requests per second per account and region (a token bucket). */
export class LookupThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly perSecond: number) {}
  take(account: string, region: string, now: number): void {
    const id = `${account}/${region}`;
    const b = this.buckets.get(id) ?? { tokens: this.perSecond, at: now };
    b.tokens = Math.min(this.perSecond, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(id, b);
      throw new CloudTrailError('ThrottlingException', 'Rate exceeded');
    }
    b.tokens -= 1;
    this.buckets.set(id, b);
  }
}
