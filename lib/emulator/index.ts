/**
 * The KMS emulator: `createEmulator()` gives a web-standard `handle(Request)` that speaks AWS JSON 1.1
 * like AWS KMS, and `kmsClient()`, an official @aws-sdk/client-kms client wired to it in process.
 */
import crypto from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, identify, type AccountCredentials } from './auth';
import { KMSInternalException, KmsError, SerializationException, UnknownOperationException, UnsupportedOperationException } from './errors';
import { loadKey, type LoadedKey } from './key-material';
import { currentMaterial, type LastUsage, type OperationContext } from './operations/context';
import { NOT_YET_SUPPORTED, OPERATIONS } from './operations/index';
export { DATA_PLANE } from './operations/index';
import { applyDueRotations } from './operations/rotation';
import { fail, ok, type WireRequest, type WireResponse } from './protocol';
import { dueAt, Store, type KeyMaterial, type KeyRecord, type StoreChange } from './store';
import { validate } from './validate';

export interface EmulatorOptions {
  /** The emulator's notion of now; inject one to fast-forward through rotations and deletion windows. */
  clock?: () => Date;
  /** Where state lives; in memory when absent. */
  dataDir?: string;
  /** Access keys and the accounts they belong to; default: `test`/`test` for 111122223333. */
  accounts?: AccountCredentials[];
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
  dispatch(request: WireRequest): WireResponse;
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
  store: Store;
  load: OperationContext['load'];
  recordUsage(keyId: string, usage: LastUsage): void;
  lastUsage: ReadonlyMap<string, LastUsage>;
  startedAt: number;
}

/** One request's context; a class so the hot path allocates one object and no closures. */
class RequestContext implements OperationContext {
  subject?: string;
  constructor(
    private readonly shared: Shared,
    readonly account: string,
    readonly region: string,
    readonly now: number,
    readonly requestId: string,
  ) {}
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
}
const NOT_YET = new Set<string>(NOT_YET_SUPPORTED);

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? (() => new Date());
  const store = Store.open(options.dataDir, { replica: options.replica });
  const accounts = new Map((options.accounts ?? DEFAULT_CREDENTIALS).map((a) => [a.accessKeyId, a]));
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
  const shared: Shared = { store, load, recordUsage, lastUsage, startedAt };

  const dispatch = (request: WireRequest): WireResponse => {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    let operation = request.target?.startsWith(TARGET_PREFIX) ? request.target.slice(TARGET_PREFIX.length) : (request.target ?? '-');
    let ctx: RequestContext | undefined;
    let response: WireResponse;
    try {
      if (request.method !== 'POST') throw new UnknownOperationException(`KMS accepts only POST requests, not ${request.method}.`);
      const caller = identify(request.authorization, accounts);
      const handler = OPERATIONS[operation as keyof typeof OPERATIONS] as (typeof OPERATIONS)[keyof typeof OPERATIONS] | undefined;
      if (!handler || !request.target?.startsWith(TARGET_PREFIX)) {
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
      const input = validate(handler.spec, raw);
      const now = clock().getTime();
      if (!options.replica) advance(now);
      ctx = new RequestContext(shared, caller.accountId, caller.region, now, requestId);
      response = ok(handler.run(ctx, input), requestId);
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
      region: ctx?.region,
      keyId: ctx?.subject,
      status: response.status,
      errorCode: response.headers['x-amzn-errortype'],
      ms: performance.now() - started,
    });
    return response;
  };

  const handle = async (request: Request): Promise<Response> => {
    const body = new Uint8Array(await request.arrayBuffer());
    const res = dispatch({ method: request.method, target: request.headers.get('x-amz-target'), authorization: request.headers.get('authorization'), body });
    return new Response(new Uint8Array(res.body), { status: res.status, headers: res.headers });
  };

  const kmsClient = (opts: KmsClientOptions = {}): KMSClient => {
    const header = (req: HttpRequest, name: string) => {
      const found = Object.keys(req.headers).find((h) => h.toLowerCase() === name);
      return found === undefined ? null : req.headers[found];
    };
    return new KMSClient({
      region: opts.region ?? DEFAULT_REGION,
      credentials: { accessKeyId: opts.accessKeyId ?? 'test', secretAccessKey: opts.secretAccessKey ?? 'test' },
      endpoint: 'http://kms.emulator.internal',
      maxAttempts: 1,
      requestHandler: {
        handle: async (req: HttpRequest) => {
          const body = req.body === undefined || req.body === null ? '' : (req.body as string | Uint8Array);
          const res = dispatch({ method: req.method, target: header(req, 'x-amz-target'), authorization: header(req, 'authorization'), body });
          return { response: new HttpResponse({ statusCode: res.status, headers: res.headers, body: res.body }) };
        },
      },
    });
  };

  return {
    handle,
    dispatch,
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

export type { AccountCredentials } from './auth';
export type { StoreChange } from './store';
export type { LastUsage } from './operations/context';
export { DEFAULT_ACCOUNT, DEFAULT_REGION } from './auth';
