/**
 * A data-plane worker thread of the standalone server: a replica emulator that follows the main
 * thread's state change by change and serves the operations that only use keys (Encrypt, Sign …).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEmulator, type Identity, type LastUsage, type RequestLogEntry, type TrailEvent } from './index';
import { Decoder, decodeRequest, Encoder, encodeResponse, type FromWorker, type ToWorker } from './worker-protocol';

if (!parentPort) throw new Error('lib/emulator/worker.ts runs as a worker thread of the emulator server');
const port = parentPort;

// Requests run one after another, so these collect exactly what the current request produced.
let log: RequestLogEntry | undefined;
let usage: [string, LastUsage][] = [];
let events: TrailEvent[] = [];
const { identities, enforceAccess } = workerData as { identities: Identity[]; enforceAccess: boolean };
const emulator = createEmulator({
  replica: true,
  identities,
  enforceAccess,
  onRequest: (entry) => (log = entry),
  onUsage: (keyId, u) => usage.push([keyId, u]),
  onEvents: (e) => events.push(...e),
});

// Messages are handled strictly in order: a batch of requests finishes before the next message (a
// state change, say) is applied, just as on the main thread.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: ToWorker): Promise<void> {
  if (message.t === 'changes') {
    for (const change of message.changes) emulator.applyChange(change);
    return;
  }
  const input = new Decoder(message.batch);
  const out = new Encoder();
  while (!input.done) {
    const request = decodeRequest(input);
    log = undefined;
    usage = [];
    events = [];
    const res = await emulator.dispatch(request);
    encodeResponse(out, { id: request.id, status: res.status, headers: res.headers, body: res.text ?? res.body.toString('utf8'), log, usage, events });
  }
  port.postMessage({ t: 'responses', batch: out.text, kept: out.kept } satisfies FromWorker);
}
