/**
 * The KMS emulator: `createEmulator()` gives a web-standard `handle(Request)` that speaks AWS JSON 1.1
 * like AWS KMS, and `kmsClient()`, an official @aws-sdk/client-kms client wired to it in process.
 */
import crypto from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { authenticate, DEFAULT_REGION, identify } from './auth';
import { authorizeAccount, authorizeKey, type AuthorizationScope } from './authorize';
import { DEFAULT_IDENTITIES, type Identity } from './identities';
import { KMSInternalException, KmsError, SerializationException, UnknownOperationException, UnsupportedOperationException } from './errors';
import { loadKey, type LoadedKey } from './key-material';
import { currentMaterial, type LastUsage, type OperationContext } from './operations/context';
import { NOT_YET_SUPPORTED, OPERATIONS } from './operations/index';
export { DATA_PLANE } from './operations/index';
import { applyDueRotations } from './operations/rotation';
import { fail, ok, type WireRequest, type WireResponse } from './protocol';
import { dueAt, Store, type KeyMaterial, type KeyRecord, type StoreChange } from './store';
import { validate } from './validate';
import type { ContextValue } from '../policy';

export interface EmulatorOptions {
  /** The emulator's notion of now; inject one to fast-forward through rotations and deletion windows. */
  clock?: () => Date;
  /** Where state lives; in memory when absent. */
  dataDir?: string;
  /** Who may call, with which access keys and IAM policies; default: the demo account's identities (lib/emulator/identities.ts). */
  identities?: Identity[];
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
  onUsage?: (keyId: string, usage: LastUsage) => void;
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
}

export interface Emulator {
  handle(request: Request): Promise<Response>;
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
  recordUsage(keyId: string, usage: LastUsage): void;
  /** Logs a request served elsewhere (by a worker's replica) through this emulator's `onRequest`. */
  recordRequest(entry: RequestLogEntry): void;
}

const TARGET_PREFIX = 'TrentService.';

interface Shared {
  enforceAccess: boolean;
  store: Store;
  load: OperationContext['load'];
  recordUsage(keyId: string, usage: LastUsage): void;
  lastUsage: ReadonlyMap<string, LastUsage>;
  startedAt: number;
}

/** One request's context; a class so the hot path allocates one object and no closures. */
class RequestContext implements OperationContext, AuthorizationScope {
  subject?: string;
  requestAlias?: string;
  authorized = false;
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
    this.shared.recordUsage(key.keyId, { operation, at: this.now, requestId: this.requestId });
  }
  lastUsage(key: KeyRecord) {
    return this.shared.lastUsage.get(key.keyId);
  }
  authorize(key: KeyRecord, action = `kms:${this.operation}`, encryptionContext = this.encryptionContext) {
    if (this.shared.enforceAccess) authorizeKey(this, key, action, encryptionContext);
    this.authorized = true;
  }
  authorizeAccount(action = `kms:${this.operation}`) {
    if (this.shared.enforceAccess) authorizeAccount(this, action, this.region);
    this.authorized = true;
  }
}

/** Request members that policies can test as kms: condition keys (conditions-kms.html). */
const CONDITION_MEMBERS: [member: string, key: string][] = [
  ['EncryptionAlgorithm', 'kms:EncryptionAlgorithm'],
  ['SigningAlgorithm', 'kms:SigningAlgorithm'],
  ['MacAlgorithm', 'kms:MacAlgorithm'],
  ['MessageType', 'kms:MessageType'],
  ['KeyPairSpec', 'kms:DataKeyPairSpec'],
  ['KeyAgreementAlgorithm', 'kms:KeyAgreementAlgorithm'],
  ['RotationPeriodInDays', 'kms:RotationPeriodInDays'],
  ['BypassPolicyLockoutSafetyCheck', 'kms:BypassPolicyLockoutSafetyCheck'],
  ['MultiRegion', 'kms:MultiRegion'],
];

function conditionKeys(input: Record<string, unknown>): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {};
  for (const [member, key] of CONDITION_MEMBERS) {
    const v = input[member];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') keys[key] = v;
  }
  return keys;
}

const NOT_YET = new Set<string>(NOT_YET_SUPPORTED);

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? (() => new Date());
  const store = Store.open(options.dataDir, { replica: options.replica });
  const identityList = options.identities ?? DEFAULT_IDENTITIES;
  const identities = new Map(identityList.map((i) => [i.accessKeyId, i]));
  const wallClock = options.signatureClock ?? Date.now;
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

  /** Deletes keys whose waiting period is over and performs due automatic rotations. */
  const advance = (now: number) => {
    if (now < store.nextDueAt) return;
    let next = Infinity;
    for (const region of store.regionNames()) {
      for (const key of [...store.allKeys(region).values()]) {
        if (key.keyState === 'PendingDeletion' && key.deletionDate! <= now) {
          for (const alias of [...store.aliasesOf(region, key.account).values()]) if (alias.targetKeyId === key.keyId) store.deleteAlias(alias);
          store.deleteKey(key);
          for (const m of key.materials) loaded.delete(m.id);
          continue;
        }
        const current = dueAt(key) <= now ? applyDueRotations(key, now) : key;
        if (current !== key) store.putKey(current);
        next = Math.min(next, dueAt(current));
      }
    }
    store.nextDueAt = next;
  };

  const recordUsage = (keyId: string, usage: LastUsage) => {
    lastUsage.set(keyId, usage);
    options.onUsage?.(keyId, usage);
  };
  const enforceAccess = options.enforceAccess ?? true;
  const shared: Shared = { enforceAccess, store, load, recordUsage, lastUsage, startedAt };

  const dispatch = async (request: WireRequest): Promise<WireResponse> => {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    const target = request.headers['x-amz-target'] ?? null;
    let operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : (target ?? '-');
    let ctx: RequestContext | undefined;
    let region: string | undefined;
    let response: WireResponse;
    try {
      if (request.method !== 'POST') throw new UnknownOperationException(`KMS accepts only POST requests, not ${request.method}.`);
      const signed = { ...request, authorization: request.headers.authorization ?? null };
      const caller = enforceAccess ? await authenticate(signed, identities, wallClock()) : identify(signed, identities);
      region = caller.region;
      const handler = OPERATIONS[operation as keyof typeof OPERATIONS] as (typeof OPERATIONS)[keyof typeof OPERATIONS] | undefined;
      if (!handler || !target?.startsWith(TARGET_PREFIX)) {
        if (NOT_YET.has(operation)) throw new UnsupportedOperationException(`${operation} is not available in this emulator yet.`);
        operation = operation.slice(0, 64);
        throw new UnknownOperationException(`Unknown operation ${operation}`);
      }
      let raw: unknown;
      try {
        const { body } = request;
        const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
        raw = text.length === 0 ? {} : JSON.parse(text);
      } catch {
        throw new SerializationException('The request body is not valid JSON.');
      }
      const input = validate(handler.spec, raw) as Record<string, unknown>;
      const now = clock().getTime();
      if (!options.replica) advance(now);
      const encryptionContext = input.EncryptionContext as Record<string, string> | undefined;
      ctx = new RequestContext(shared, caller.identity, caller.region, now, requestId, operation, encryptionContext, conditionKeys(input), request.sourceIp);
      const output = handler.run(ctx, input);
      // Every operation authorizes (a key through resolveKey, or the account); one that did not is a bug.
      if (!ctx.authorized) throw new Error(`${operation} completed without an authorization check`);
      response = ok(output, requestId);
    } catch (error) {
      if (error instanceof KmsError) response = fail(error, requestId);
      else {
        // A real fault: report it without details that could carry request data.
        console.error(`kms emulator: internal error in ${operation}:`, error instanceof Error ? error.stack : error);
        response = fail(new KMSInternalException('An internal error occurred in the KMS emulator.'), requestId);
      }
    }
    options.onRequest?.({
      operation,
      region,
      keyId: ctx?.subject,
      status: response.status,
      errorCode: response.headers['x-amzn-errortype'],
      ms: performance.now() - started,
    });
    return response;
  };

  const handle = async (request: Request): Promise<Response> => {
    const body = new Uint8Array(await request.arrayBuffer());
    const url = new URL(request.url);
    const res = await dispatch({ method: request.method, path: url.pathname + url.search, headers: Object.fromEntries(request.headers), body });
    return new Response(new Uint8Array(res.body), { status: res.status, headers: res.headers });
  };

  const kmsClient = (opts: KmsClientOptions = {}): KMSClient => {
    return new KMSClient({
      region: opts.region ?? DEFAULT_REGION,
      credentials: { accessKeyId: opts.accessKeyId ?? 'test', secretAccessKey: opts.secretAccessKey ?? 'test' },
      endpoint: 'http://kms.emulator.internal',
      maxAttempts: 1,
      requestHandler: {
        handle: async (req: HttpRequest) => {
          const body = req.body === undefined || req.body === null ? '' : (req.body as string | Uint8Array);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
          const query = new URLSearchParams(req.query as Record<string, string>).toString();
          const res = await dispatch({ method: req.method, path: query ? `${req.path}?${query}` : req.path, headers, body });
          return { response: new HttpResponse({ statusCode: res.status, headers: res.headers, body: res.body }) };
        },
      },
    });
  };

  return {
    handle,
    dispatch,
    identities: identityList,
    enforceAccess,
    kmsClient,
    close: async () => store.close(),
    tick: () => advance(clock().getTime()),
    onChange: (listener) => store.onChange(listener),
    snapshot: () => store.snapshot(),
    applyChange: (change) => {
      if (change.t === 'key' && change.value === null) {
        const gone = store.key(change.region, change.id);
        for (const m of gone?.materials ?? []) loaded.delete(m.id);
      }
      store.apply(change);
    },
    recordUsage,
    recordRequest: (entry) => options.onRequest?.(entry),
  };
}

export type { Identity } from './identities';
export { DEFAULT_IDENTITIES, DEMO_ACCOUNT, PARTNER_ACCOUNT } from './identities';
export type { StoreChange } from './store';
export type { LastUsage } from './operations/context';
export { DEFAULT_REGION } from './auth';
/** The demo account, where the `test`/`test` keys live. */
export { DEMO_ACCOUNT as DEFAULT_ACCOUNT } from './identities';
