/**
 * The trail's writer thread (see trail-writer.ts): owns the CloudTrail store, writes the events the
 * main thread sends and answers its lookups, strictly in the order the messages arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrailStore } from './trail-store';
import type { FromTrailThread, ToTrailThread, TrailThreadData } from './trail-writer';

if (!parentPort) throw new Error('lib/emulator/trail-worker.ts runs as a worker thread of the emulator');
const port = parentPort;
const data = workerData as TrailThreadData;

// The emulator's clock (tests and the demo seed move it) arrives with each message.
let now = data.now;
const store = new TrailStore(data.dir, () => now);

port.on('message', (message: ToTrailThread) => {
  now = message.now;
  switch (message.t) {
    case 'record':
      store.record(message.events);
      // During a bulk load the main thread waits on this count (trail-writer.ts).
      Atomics.add(data.written, 0, message.events.length);
      Atomics.notify(data.written, 0);
      return;
    case 'page':
      try {
        port.postMessage({ t: 'page', id: message.id, events: store.page(message.query) } satisfies FromTrailThread);
      } catch (error) {
        port.postMessage({ t: 'page', id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies FromTrailThread);
      }
      return;
    case 'bulk':
      if (message.on) store.beginBulk();
      else store.endBulk();
      return;
    case 'close':
      store.close();
      port.postMessage({ t: 'closed' } satisfies FromTrailThread);
  }
});
