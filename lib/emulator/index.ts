/**
 * The KMS emulator: `createEmulator()` gives a web-standard `handle(Request)` that speaks AWS JSON 1.1
 * like AWS KMS, and `kmsClient()`, an official @aws-sdk/client-kms client wired to it in process.
 */
import crypto from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DEFAULT_REGION, identify, verifySignature, type Caller } from './auth';
import { createAwsManagedKeys } from './aws-managed';
import { CLOUDTRAIL_TARGET_PREFIXES, kmsEvents, LookupThrottle, lookupEvents, LOOKUP_SPEC, TrailStore, type TrailEvent } from './cloudtrail';
import type { Trail } from './trail-store';
import { TrailWriter } from './trail-writer';
import { authorizeAccount, authorizeKey, type AuthorizationScope } from './authorize';
import { DEFAULT_IDENTITIES, DEFAULT_ROLES, type Identity, type Role } from './identities';
import { createSts, isStsRequest, Sessions } from './sts';
import { InvalidSignatureException, KMSInternalException, KmsError, SerializationException, UnknownOperationException, UnsupportedOperationException } from './errors';
import { loadKey, type LoadedKey } from './key-material';
import { currentMaterial, type LastUsage, type OperationContext } from './operations/context';
import { NOT_YET_SUPPORTED, OPERATIONS } from './operations/index';
export { DATA_PLANE } from './operations/index';
import { expireImported } from './operations/import';
import { applyDueRotations } from './operations/rotation';
import { afterKeyDeleted, syncReplicas } from './operations/multi-region-set';
import { fail, ok, type WireRequest, type WireResponse } from './protocol';
import { dueAt, Store, type KeyMaterial, type KeyRecord, type StoreChange } from './store';
import { validate, type Field } from './validate';
import { requestConditionKeys, type ContextValue } from '../policy';

export interface EmulatorOptions {
  /** The emulator's notion of now; inject one to fast-forward through rotations and deletion windows. */
  clock?: () => Date;
  /** Where state lives; in memory when absent. */
  dataDir?: string;
  /** Who may call, with which access keys and IAM policies; default: the demo account's identities (lib/emulator/identities.ts). */
  identities?: Identity[];
  /**
   * The IAM roles STS AssumeRole hands out sessions of; default: the demo accounts' roles (lib/emulator/identities.ts).
   * The standalone server's data-plane workers know the default roles only.
   */
  roles?: Role[];
  /** The wall clock SigV4 timestamps are checked against (not `clock`, which tests move); default: now. */
  signatureClock?: () => number;
  /**
   * `false` trusts the credential scope, as emulators without access control do: the access key names
   * the caller, no signature is checked and no policy evaluated. For benchmarks of the core path and
   * for tools that sign with made-up secrets. Default: true.
   */
  enforceAccess?: boolean;
  /** Called once per request, for logging. Never receives plaintexts or key material. */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * A replica follows another emulator's state through `applyChange` and serves only requests that
   * change no state (the data plane); it never rotates or deletes keys by itself.
   */
  replica?: boolean;
  /** Called when a request used a key cryptographically (GetKeyLastUsage); a replica reports these to its primary. */
  onUsage?: (keyArn: string, usage: LastUsage) => void;
  /** A replica reports its CloudTrail events here instead of keeping them. */
  onEvents?: (events: TrailEvent[]) => void;
  /**
   * The built trail-worker.ts: CloudTrail's store runs on a thread of its own (the standalone server), so
   * its writes never hold up a request. Without it the store runs on the calling thread.
   */
  trailWorker?: string | URL;
  /** Throttle CloudTrail LookupEvents to this many requests per second per account and region (AWS: 2). */
  lookupEventsPerSecond?: number;
}

export interface RequestLogEntry {
  operation: string;
  region?: string;
  keyId?: string;
  status: number;
  errorCode?: string;
  ms: number;
}

export interface KmsClientOptions {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Appended to the SDK's user agent (its customUserAgent), as an application names itself. */
  userAgent?: string;
}

/** What the host that received a request knows about its connection (a web Request carries no socket). */
export interface ConnectionInfo {
  /** The client's address: aws:SourceIp and CloudTrail's sourceIPAddress. */
  sourceIp?: string;
}

export interface Emulator {
  /** Answers one request; `connection` is what the host mounting the handler knows of the client, as the standalone server passes its socket's address. */
  handle(request: Request, connection?: ConnectionInfo): Promise<Response>;
  /** The same as `handle`, without web Request/Response objects: the standalone server's fast path. */
  dispatch(request: WireRequest): Promise<WireResponse>;
  /** The identities this emulator authenticates, and whether it does (a replica must be given the same). */
  readonly identities: readonly Identity[];
  readonly enforceAccess: boolean;
  kmsClient(opts?: KmsClientOptions): KMSClient;
  close(): Promise<void>;
  /** Performs the rotations and deletions due by now (every request does this first). */
  tick(): void;
  /** Replication: hear every committed change, get the whole state, apply a primary's change, record a replica's key use. */
  onChange(listener: (change: StoreChange) => void): void;
  snapshot(): StoreChange[];
  applyChange(change: StoreChange): void;
  recordUsage(keyArn: string, usage: LastUsage): void;
  /** Logs a request served elsewhere (by a worker's replica) through this emulator's `onRequest`. */
  recordRequest(entry: RequestLogEntry): void;
  /** Keeps CloudTrail events of requests served elsewhere (by a worker's replica). */
  recordEvents(events: TrailEvent[]): void;
  /** Runs `fn`, which records many events at once (the demo history), with the trail's indexes built after it. */
  bulkEvents<T>(fn: () => T): T;
  /** Creates an account's AWS managed keys (aws/ebs, aws/s3 …) in a region, as AWS services would on first use. */
  createAwsManagedKeys(account: string, region: string): number;
  /** A real CloudTrailClient from @aws-sdk/client-cloudtrail, answered in process (LookupEvents). */
  cloudTrailClient(opts?: KmsClientOptions): CloudTrailClient;
}

const TARGET_PREFIX = 'TrentService.';

interface Shared {
  enforceAccess: boolean;
  store: Store;
  load: OperationContext['load'];
  recordUsage(keyArn: string, usage: LastUsage): void;
  lastUsage: ReadonlyMap<string, LastUsage>;
  startedAt: number;
}

/** One request's context; a class so the hot path allocates one object and no closures. */
class RequestContext implements OperationContext, AuthorizationScope {
  subject?: string;
  requestAlias?: string;
  authorized = false;
  /** ARNs of the keys this request concerned, for its CloudTrail event. */
  readonly keys: string[] = [];
  constructor(
    private readonly shared: Shared,
    readonly caller: Identity,
    readonly region: string,
    readonly now: number,
    readonly requestId: string,
    readonly operation: string,
    readonly encryptionContext: Record<string, string> | undefined,
    readonly conditionKeys: Record<string, ContextValue>,
    readonly sourceIp: string | undefined,
  ) {}
  get account() {
    return this.caller.accountId;
  }
  get store() {
    return this.shared.store;
  }
  get startedAt() {
    return this.shared.startedAt;
  }
  load(key: KeyRecord, material?: KeyMaterial) {
    return this.shared.load(key, material);
  }
  used(key: KeyRecord, operation: LastUsage['operation']) {
    // By ARN, not key id: the keys of a multi-Region set share one key id but are used separately.
    this.shared.recordUsage(key.arn, { operation, at: this.now, requestId: this.requestId });
  }
  lastUsage(key: KeyRecord) {
    return this.shared.lastUsage.get(key.arn);
  }
  authorize(key: KeyRecord, action = `kms:${this.operation}`, encryptionContext = this.encryptionContext) {
    if (!this.keys.includes(key.arn)) this.keys.push(key.arn);
    if (this.shared.enforceAccess) authorizeKey(this, key, action, encryptionContext);
    this.authorized = true;
  }
  authorizeAccount(action = `kms:${this.operation}`, region = this.region) {
    if (this.shared.enforceAccess) authorizeAccount(this, action, region);
    this.authorized = true;
  }
}

const NOT_YET = new Set<string>(NOT_YET_SUPPORTED);
const NO_BLOBS: ReadonlySet<string> = new Set();
const blobSets = new WeakMap<object, ReadonlySet<string>>();
/** The members of an operation's input that are blobs (never written to CloudTrail). */
function blobsOf(spec: object): ReadonlySet<string> {
  let set = blobSets.get(spec);
  if (!set) {
    set = new Set(Object.entries(spec as Record<string, Field>).filter(([, f]) => f.kind === 'blob').map(([m]) => m));
    blobSets.set(spec, set);
  }
  return set;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? (() => new Date());
  const store = Store.open(options.dataDir, { replica: options.replica });
  const identityList = options.identities ?? DEFAULT_IDENTITIES;
  const identities = new Map(identityList.map((i) => [i.accessKeyId, i]));
  const wallClock = options.signatureClock ?? Date.now;
  // Temporary credentials from STS AssumeRole are accepted wherever an identity's access key is.
  const sessions = new Sessions(identityList, options.roles ?? DEFAULT_ROLES);
  const resolveSession = (accessKeyId: string, token: string | undefined) => sessions.resolve(accessKeyId, token, clock().getTime());
  const loaded = new Map<string, LoadedKey>();
  const lastUsage = new Map<string, LastUsage>();
  const startedAt = clock().getTime();

  const load = (key: KeyRecord, material: KeyMaterial = currentMaterial(key)): LoadedKey => {
    let entry = loaded.get(material.id);
    if (!entry) {
      entry = loadKey(key.keySpec, material.material);
      loaded.set(material.id, entry);
    }
    return entry;
  };

  /** Deletes keys whose waiting period is over, performs due automatic rotations and expires imported material. */
  const advance = (now: number) => {
    if (now < store.nextDueAt) return;
    let next = Infinity;
    for (const region of store.regionNames()) {
      for (const key of [...store.allKeys(region).values()]) {
        if (key.keyState === 'PendingDeletion' && key.deletionDate! <= now) {
          for (const alias of [...store.aliasesOf(region, key.account).values()]) if (alias.targetKeyId === key.keyId) store.deleteAlias(alias);
          store.deleteKey(key);
          for (const m of key.materials) loaded.delete(m.id);
          // The last replica of a primary pending replica deletion starts the primary's waiting period.
          const primary = afterKeyDeleted(store, key, key.deletionDate!);
          if (primary) next = Math.min(next, dueAt(primary));
          continue;
        }
        const current = dueAt(key) <= now ? expireImported(applyDueRotations(key, now), now) : key;
        if (current !== key) {
          store.putKey(current);
          syncReplicas(store, current); // a multi-Region primary's replicas share its new material
        }
        next = Math.min(next, dueAt(current));
      }
    }
    store.nextDueAt = next;
    // A deletion can make another key due at once (that primary, when the clock jumped far); catch up now.
    if (next <= now) advance(now);
  };

  const recordUsage = (keyArn: string, usage: LastUsage) => {
    lastUsage.set(keyArn, usage);
    options.onUsage?.(keyArn, usage);
  };
  const enforceAccess = options.enforceAccess ?? true;
  const trailDir = options.replica ? undefined : options.dataDir;
  const trail: Trail = options.trailWorker && !options.replica ? new TrailWriter(options.trailWorker, trailDir, () => clock().getTime()) : new TrailStore(trailDir, () => clock().getTime());
  const throttle = options.lookupEventsPerSecond ? new LookupThrottle(options.lookupEventsPerSecond) : undefined;
  const shared: Shared = { enforceAccess, store, load, recordUsage, lastUsage, startedAt };
  // Imported material that was deleted or expired leaves the cache of loaded keys too, not just the store.
  const forgetRemovedMaterial = (change: StoreChange) => {
    if (change.t === 'key' && change.value?.imported) for (const m of change.value.materials) if (m.material.length === 0) loaded.delete(m.id);
  };
  store.onChange(forgetRemovedMaterial);

  const sts = createSts({ identities, sessions, enforceAccess, clock: () => clock().getTime(), signatureClock: wallClock, onRequest: options.onRequest });

  const dispatch = async (request: WireRequest): Promise<WireResponse> => {
    if (isStsRequest(request)) return sts(request);
    const started = performance.now();
    const requestId = crypto.randomUUID();
    const target = request.headers['x-amz-target'] ?? null;
    const cloudTrailPrefix = target === null || target.startsWith(TARGET_PREFIX) ? undefined : CLOUDTRAIL_TARGET_PREFIXES.find((p) => target.startsWith(p));
    const cloudTrail = cloudTrailPrefix !== undefined;
    const prefix = cloudTrailPrefix ?? TARGET_PREFIX;
    let operation = target?.startsWith(prefix) ? target.slice(prefix.length) : (target ?? '-');
    let ctx: RequestContext | undefined;
    let caller: Caller | undefined;
    let raw: unknown;
    let output: unknown;
    let blobMembers: ReadonlySet<string> = NO_BLOBS;
    let errorMessage: string | undefined;
    let response: WireResponse;
    try {
      if (request.method !== 'POST') throw new UnknownOperationException(`KMS accepts only POST requests, not ${request.method}.`);
      const signed = { ...request, authorization: request.headers.authorization ?? null };
      caller = enforceAccess ? verifySignature(signed, identities, wallClock(), resolveSession) : identify(signed, identities, resolveSession);
      const service = cloudTrail ? 'cloudtrail' : 'kms';
      if (caller.service !== service) throw new InvalidSignatureException(`Credential should be scoped to correct service: '${service}'.`);
      if (cloudTrail && operation !== 'LookupEvents') throw new UnsupportedOperationException(`CloudTrail ${operation.slice(0, 64)} is not emulated; only LookupEvents is.`);
      const handler = cloudTrail ? undefined : (OPERATIONS[operation as keyof typeof OPERATIONS] as (typeof OPERATIONS)[keyof typeof OPERATIONS] | undefined);
      if (!cloudTrail && (!handler || !target?.startsWith(TARGET_PREFIX))) {
        if (NOT_YET.has(operation)) throw new UnsupportedOperationException(`${operation} is not available in this emulator yet.`);
        operation = operation.slice(0, 64);
        throw new UnknownOperationException(`Unknown operation ${operation}`);
      }
      try {
        const { body } = request;
        const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
        raw = text.length === 0 ? {} : JSON.parse(text);
      } catch {
        throw new SerializationException('The request body is not valid JSON.');
      }
      const now = clock().getTime();
      if (!handler) {
        const input = validate(LOOKUP_SPEC, raw);
        ctx = new RequestContext(shared, caller.identity, caller.region, now, requestId, operation, undefined, {}, request.sourceIp);
        ctx.authorizeAccount('cloudtrail:LookupEvents');
        throttle?.take(caller.identity.accountId, caller.region, wallClock());
        return (response = ok(await lookupEvents(trail, caller.identity.accountId, caller.region, now, input), requestId));
      }
      blobMembers = blobsOf(handler.spec);
      const input = validate(handler.spec, raw) as Record<string, unknown>;
      if (!options.replica) advance(now);
      const encryptionContext = input.EncryptionContext as Record<string, string> | undefined;
      ctx = new RequestContext(shared, caller.identity, caller.region, now, requestId, operation, encryptionContext, requestConditionKeys(input, operation), request.sourceIp);
      output = handler.run(ctx, input);
      // A few control-plane operations are asynchronous (GetParametersForImport makes an RSA key off the event loop).
      if (output instanceof Promise) output = await output;
      // Every operation authorizes (a key through resolveKey, or the account); one that did not is a bug.
      if (!ctx.authorized) throw new Error(`${operation} completed without an authorization check`);
      response = ok(output, requestId);
    } catch (error) {
      if (error instanceof KmsError) {
        errorMessage = error.message;
        response = fail(error, requestId);
      }
      else {
        // A real fault: report it without details that could carry request data.
        console.error(`kms emulator: internal error in ${operation}:`, error instanceof Error ? error.stack : error);
        response = fail(new KMSInternalException('An internal error occurred in the KMS emulator.'), requestId);
      }
    } finally {
      // CloudTrail records every KMS call of a known caller, allowed or refused.
      if (caller && !cloudTrail && response!) {
        const errorCode = response.headers['x-amzn-errortype'];
        const events = kmsEvents({
          caller: caller.identity,
          region: caller.region,
          time: ctx?.now ?? clock().getTime(),
          operation,
          requestId,
          sourceIp: request.sourceIp,
          userAgent: request.headers['user-agent'],
          request: raw,
          blobMembers,
          output,
          errorCode,
          errorMessage,
          // CreateKey authorizes no existing key, but its event names the key it made.
          keys: ctx?.keys.length ? ctx.keys : [(output as { KeyMetadata?: { Arn?: string } } | undefined)?.KeyMetadata?.Arn].filter((a): a is string => !!a),
        });
        // A ReplicateKey request is also a CreateKey in the replica's Region, and CloudTrail records both.
        const replica = operation === 'ReplicateKey' && !errorCode ? (output as { ReplicaKeyMetadata?: { Arn?: string; Description?: string; KeyUsage?: string; KeySpec?: string; Origin?: string } }).ReplicaKeyMetadata : undefined;
        if (replica?.Arn) {
          events.push(
            ...kmsEvents({
              caller: caller.identity,
              region: replica.Arn.split(':')[3],
              time: ctx?.now ?? clock().getTime(),
              operation: 'CreateKey',
              requestId,
              sourceIp: request.sourceIp,
              userAgent: request.headers['user-agent'],
              request: { Description: replica.Description, KeyUsage: replica.KeyUsage, KeySpec: replica.KeySpec, Origin: replica.Origin, MultiRegion: true },
              blobMembers,
              output: { KeyMetadata: replica },
              keys: [replica.Arn],
            }),
          );
        }
        if (options.onEvents) options.onEvents(events);
        else trail.record(events);
      }
      options.onRequest?.({
        operation,
        region: caller?.region,
        keyId: ctx?.subject,
        status: response!.status,
        errorCode: response!.headers['x-amzn-errortype'],
        ms: performance.now() - started,
      });
    }
    return response;
  };

  const handle = async (request: Request, connection: ConnectionInfo = {}): Promise<Response> => {
    const body = new Uint8Array(await request.arrayBuffer());
    const url = new URL(request.url);
    const res = await dispatch({ method: request.method, path: url.pathname + url.search, headers: Object.fromEntries(request.headers), body, sourceIp: connection.sourceIp });
    return new Response(new Uint8Array(res.body), { status: res.status, headers: res.headers });
  };

  /** An SDK request handler that hands the signed request to `dispatch` in process (no socket). */
  const inProcess = {
    handle: async (req: HttpRequest) => {
      const body = req.body === undefined || req.body === null ? '' : (req.body as string | Uint8Array);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
      const query = new URLSearchParams(req.query as Record<string, string>).toString();
      const res = await dispatch({ method: req.method, path: query ? `${req.path}?${query}` : req.path, headers, body });
      return { response: new HttpResponse({ statusCode: res.status, headers: res.headers, body: res.body }) };
    },
  };
  const clientConfig = (opts: KmsClientOptions, service: string) => ({
    region: opts.region ?? DEFAULT_REGION,
    credentials: { accessKeyId: opts.accessKeyId ?? 'test', secretAccessKey: opts.secretAccessKey ?? 'test' },
    endpoint: `http://${service}.emulator.internal`,
    maxAttempts: 1,
    requestHandler: inProcess,
    ...(opts.userAgent ? { customUserAgent: opts.userAgent } : {}),
  });
  const kmsClient = (opts: KmsClientOptions = {}) => new KMSClient(clientConfig(opts, 'kms'));
  const cloudTrailClient = (opts: KmsClientOptions = {}) => new CloudTrailClient(clientConfig(opts, 'cloudtrail'));

  return {
    handle,
    dispatch,
    identities: identityList,
    enforceAccess,
    kmsClient,
    cloudTrailClient,
    close: async () => {
      await trail.close();
      store.close();
    },
    tick: () => advance(clock().getTime()),
    onChange: (listener) => store.onChange(listener),
    snapshot: () => store.snapshot(),
    applyChange: (change) => {
      if (change.t === 'key' && change.value === null) {
        const gone = store.key(change.region, change.id);
        for (const m of gone?.materials ?? []) loaded.delete(m.id);
      }
      store.apply(change);
      forgetRemovedMaterial(change);
    },
    recordUsage,
    recordRequest: (entry) => options.onRequest?.(entry),
    recordEvents: (events) => trail.record(events),
    bulkEvents: (fn) => trail.bulk(fn),
    createAwsManagedKeys: (account, region) => createAwsManagedKeys(store, account, region, clock().getTime()),
  };
}

export type { Identity, Role } from './identities';
export { DEFAULT_IDENTITIES, DEFAULT_ROLES, DEMO_ACCOUNT, PARTNER_ACCOUNT } from './identities';
export type { StoreChange } from './store';
export type { TrailEvent } from './cloudtrail';
export type { LastUsage } from './operations/context';
export { DEFAULT_REGION } from './auth';
/** The demo account, where the `test`/`test` keys live. */
export { DEMO_ACCOUNT as DEFAULT_ACCOUNT } from './identities';
