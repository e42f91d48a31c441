/** Serves an emulator over HTTP for the AWS CLI, boto3 and SDKs (`--endpoint-url http://127.0.0.1:4599`). */
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { fail, type WireRequest, type WireResponse } from './protocol';
import { KMSInternalException } from './errors';
import { DATA_PLANE, type Emulator } from './index';
import { Decoder, decodeResponse, Encoder, encodeRequest, type FromWorker, type ToWorker, type WorkerRequest, type WorkerResponse } from './worker-protocol';

export interface EmulatorServerOptions {
  /** Data-plane worker threads (0: everything on the main thread). */
  workers?: number;
  /** The worker entry (lib/emulator/worker.ts, built to JavaScript); required when `workers` > 0. */
  workerScript?: string | URL;
}

const TARGET_PREFIX = 'TrentService.';
const MAX_BODY = 1 << 20; // KMS requests are small (the largest blob is 8 KiB)
/** Request batches a worker holds at once: one it works on, one waiting, so it never idles between them. */
const MAX_IN_FLIGHT = 2;

/**
 * An HTTP server over `emulator`. The main thread owns the state and runs every operation that may
 * change it; with workers, the data plane (Encrypt, Decrypt, Sign …) runs on worker threads that hold
 * a replica, so cryptography and request parsing use the other cores.
 */
export function createEmulatorServer(emulator: Emulator, options: EmulatorServerOptions = {}): http.Server {
  const pool = options.workers && options.workerScript ? new DataPlanePool(emulator, options.workerScript, options.workers) : undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'ValidationException', message: 'Request body is too large.' }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const request: WireRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: headersOf(req), body, sourceIp: req.socket.remoteAddress };
      const target = request.headers['x-amz-target'];
      const operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      if (pool && request.method === 'POST' && DATA_PLANE.has(operation)) pool.dispatch({ ...request, body: body.toString('utf8') }, (out) => send(res, out));
      else void emulator.dispatch(request).then((out) => send(res, out));
    });
  });
  server.keepAliveTimeout = 65_000;
  if (pool) server.on('close', () => pool.close());
  return server;
}

/** Node's lower-case headers, with repeated ones joined as HTTP says (only set-cookie arrives as a list). */
function headersOf(req: http.IncomingMessage): Readonly<Record<string, string | undefined>> {
  const headers = req.headers;
  // Without set-cookie (requests hardly ever carry it) every value is a string: node's own object serves as it is.
  if (headers['set-cookie'] === undefined) return headers as Readonly<Record<string, string | undefined>>;
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function send(res: http.ServerResponse, out: Pick<WireResponse, 'status' | 'headers'> & { body: Uint8Array | string; text?: string }): void {
  // Text goes as text: node joins the head and the body into one string for the socket, and the JSON is
  // never copied into a Buffer first (node still ends the response with one writev of that and an empty chunk).
  // (`text` first: reading `body` of a text response would make its bytes.)
  const body = out.text ?? out.body;
  // A flat [name, value, …] list: node writes it without validating an object per response.
  const headers: string[] = ['content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length)];
  for (const name in out.headers) headers.push(name, out.headers[name]);
  res.writeHead(out.status, headers);
  res.end(body);
}

interface PoolWorker {
  worker: Worker;
  alive: boolean;
  /** Requests encoded for the next message, and how many. */
  queue: Encoder;
  queued: number;
  /** Batches posted whose responses have not come back. */
  inFlight: number;
  pending: Map<number, (out: WorkerResponse | WireResponse) => void>;
}

/** Worker threads with replicas of the emulator's state, fed every change in commit order. */
class DataPlanePool {
  private readonly workers: PoolWorker[] = [];
  private nextWorker = 0;
  private nextId = 0;
  private flushScheduled = false;

  constructor(
    private readonly emulator: Emulator,
    script: string | URL,
    count: number,
  ) {
    for (let i = 0; i < count; i++) this.workers.push(this.start(script));
    emulator.onChange((change) => {
      for (const w of this.workers) if (w.alive) w.worker.postMessage({ t: 'changes', changes: [change] } satisfies ToWorker);
    });
  }

  private start(script: string | URL): PoolWorker {
    const w: PoolWorker = { worker: new Worker(script, { workerData: { identities: this.emulator.identities, enforceAccess: this.emulator.enforceAccess } }), alive: true, queue: new Encoder(), queued: 0, inFlight: 0, pending: new Map() };
    w.worker.postMessage({ t: 'changes', changes: this.emulator.snapshot() } satisfies ToWorker);
    w.worker.on('message', (message: FromWorker) => {
      w.inFlight--;
      // The requests that queued up while the worker was busy go now, as one message.
      if (w.queued > 0) this.post(w);
      const input = new Decoder(message.batch, message.kept);
      while (!input.done) {
        const response = decodeResponse(input);
        for (const [keyId, usage] of response.usage) this.emulator.recordUsage(keyId, usage);
        if (response.events.length > 0) this.emulator.recordEvents(response.events);
        if (response.log) this.emulator.recordRequest(response.log);
        const done = w.pending.get(response.id);
        w.pending.delete(response.id);
        done?.(response);
      }
    });
    const lost = (why: unknown) => {
      if (!w.alive) return;
      w.alive = false;
      console.error('kms emulator: a data-plane worker stopped; its requests fail and the main thread takes over:', why);
      for (const done of w.pending.values()) done(fail(new KMSInternalException('An internal error occurred in the KMS emulator.'), 'worker-lost'));
      w.pending.clear();
      w.queue = new Encoder();
      w.queued = 0;
    };
    w.worker.on('error', lost);
    w.worker.on('exit', (code) => lost(`exit code ${code}`));
    return w;
  }

  dispatch(request: Omit<WorkerRequest, 'id'>, done: (out: WorkerResponse | WireResponse) => void): void {
    // Due rotations and deletions happen on the main thread, and reach the replicas before this request.
    this.emulator.tick();
    const w = this.pick();
    if (!w) {
      void this.emulator.dispatch(request).then(done);
      return;
    }
    const id = this.nextId++;
    w.pending.set(id, done);
    encodeRequest(w.queue, { ...request, id });
    w.queued++;
    // Requests that arrive in one turn of the event loop travel in one message.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** The next live worker, round robin. */
  private pick(): PoolWorker | undefined {
    for (let tries = 0; tries < this.workers.length; tries++) {
      const w = this.workers[this.nextWorker++ % this.workers.length];
      if (w.alive) return w;
    }
    return undefined;
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const w of this.workers) {
      // A worker with two batches in hand gets the next when it answers one: every post wakes a
      // thread, so under load the batches grow instead of the posts multiplying.
      if (w.queued > 0 && w.alive && w.inFlight < MAX_IN_FLIGHT) this.post(w);
    }
  }

  private post(w: PoolWorker): void {
    w.worker.postMessage({ t: 'requests', batch: w.queue.text } satisfies ToWorker);
    w.inFlight++;
    w.queue = new Encoder();
    w.queued = 0;
  }

  close(): void {
    for (const w of this.workers) {
      w.alive = false;
      void w.worker.terminate();
    }
  }
}
