/**
 * A data-plane worker thread of the standalone server: a replica emulator that follows the main
 * thread's state change by change and serves the operations that only use keys (Encrypt, Sign …).
 */
import { parentPort } from 'node:worker_threads';
import { createEmulator, type LastUsage, type RequestLogEntry } from './index';
import type { FromWorker, ToWorker, WorkerResponse } from './worker-protocol';

if (!parentPort) throw new Error('lib/emulator/worker.ts runs as a worker thread of the emulator server');
const port = parentPort;

// dispatch is synchronous, so these collect exactly what the current request produced.
let log: RequestLogEntry | undefined;
let usage: [string, LastUsage][] = [];
const emulator = createEmulator({
  replica: true,
  onRequest: (entry) => (log = entry),
  onUsage: (keyId, u) => usage.push([keyId, u]),
});

port.on('message', (message: ToWorker) => {
  if (message.t === 'changes') {
    for (const change of message.changes) emulator.applyChange(change);
    return;
  }
  const responses: WorkerResponse[] = message.requests.map((request) => {
    log = undefined;
    usage = [];
    const out = emulator.dispatch(request);
    // An exact copy: the body may be a slice of a shared pool, which posting would copy whole.
    return { id: request.id, status: out.status, headers: out.headers, body: new Uint8Array(out.body), log, usage };
  });
  port.postMessage({ t: 'responses', responses } satisfies FromWorker);
});
