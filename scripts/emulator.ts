/**
 * The standalone KMS emulator: `npm run emulator -- [--port 4599] [--host 127.0.0.1] [--data-dir .keydeck/emulator]
 * [--memory] [--quiet] [--workers N] [--no-auth] [--seed demo] [--history-events N] [--traffic N]` (scripts/start-emulator.mjs builds and runs this file).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { seedDemo } from '../lib/emulator/demo-account';
import { historyEventsFromEnv } from '../lib/emulator/history';
import { createEmulator, type RequestLogEntry } from '../lib/emulator/index';
import { startTraffic } from '../lib/emulator/traffic';
import { createEmulatorServer } from '../lib/emulator/server';

// The SDK clients the demo seed uses warn on Node 20 about their 2027 support window; nothing to act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.KEYDECK_EMULATOR_PORT ?? '4599' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: process.env.KEYDECK_DATA_DIR ? `${process.env.KEYDECK_DATA_DIR}/emulator` : '.keydeck/emulator' },
    memory: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    // Trust the credential scope: no SigV4 check, no policy evaluation (as emulators without access control).
    'no-auth': { type: 'boolean', default: false },
    // CloudTrail LookupEvents requests per second per account and region; AWS allows 2. Default: unlimited.
    'lookup-events-rate': { type: 'string' },
    // `demo`: the demo account (three Regions, 90 days of CloudTrail history) in an empty data dir.
    seed: { type: 'string' },
    // How many CloudTrail events of history `--seed demo` writes (default KEYDECK_DEMO_HISTORY_EVENTS, else about a million).
    'history-events': { type: 'string' },
    // Live demo traffic: the demo applications keep calling KMS, N calls a minute on average.
    traffic: { type: 'string' },
    // Data-plane worker threads; the launcher (scripts/start-emulator.mjs) builds their entry. One core is
    // left to the clients and one to the main thread: on 2 cores none, since handing each request to a
    // worker and back cost more than the Encrypt itself there (bench/emulator.ts, BENCH_WORKERS).
    workers: { type: 'string', default: String(Math.max(0, availableParallelism() - 2)) },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a TCP port number, not '${values.port}'`);
  process.exit(2);
}
const dataDir = values.memory ? undefined : values['data-dir'];
const workerScript = process.env.KEYDECK_EMULATOR_WORKER;
const workers = workerScript ? Number(values.workers) : 0;
if (!Number.isInteger(workers) || workers < 0) {
  console.error(`--workers must be a whole number, not '${values.workers}'`);
  process.exit(2);
}

if (values.seed !== undefined && values.seed !== 'demo') {
  console.error(`--seed takes 'demo', not '${values.seed}'`);
  process.exit(2);
}

let historyEvents = 0;
try {
  historyEvents = historyEventsFromEnv(values['history-events'] === undefined ? process.env : { KEYDECK_DEMO_HISTORY_EVENTS: values['history-events'] });
} catch (error) {
  console.error((error as Error).message.replace('KEYDECK_DEMO_HISTORY_EVENTS', values['history-events'] === undefined ? 'KEYDECK_DEMO_HISTORY_EVENTS' : '--history-events'));
  process.exit(2);
}

const trafficPerMinute = values.traffic === undefined ? 0 : Number(values.traffic);
if (!(trafficPerMinute >= 0) || !Number.isFinite(trafficPerMinute)) {
  console.error(`--traffic takes calls per minute, not '${values.traffic}'`);
  process.exit(2);
}

// One line per request: when, what was called on which key, the outcome and the time — never
// payloads. Entries are gathered and written once per event-loop turn (one write per burst, with
// one timestamp for the burst), which keeps logging off the hot path.
let pending: RequestLogEntry[] = [];
const flush = () => {
  const at = new Date().toISOString();
  let text = '';
  for (const e of pending) text += `${at} ${e.operation} ${e.region ?? '-'} ${e.keyId ?? '-'} ${e.status}${e.errorCode ? ` ${e.errorCode}` : ''} ${e.ms.toFixed(1)}ms\n`;
  pending = [];
  process.stdout.write(text);
};

// The clock runs behind only while the demo seed replays its history; the seed's own calls are not logged.
let clockOffset = 0;
let seeding = false;
const emulator = createEmulator({
  dataDir,
  clock: () => new Date(Date.now() + clockOffset),
  enforceAccess: !values['no-auth'],
  // CloudTrail's store on its own thread (the launcher builds its entry): its writes never hold up a request.
  trailWorker: process.env.KEYDECK_EMULATOR_TRAIL_WORKER,
  lookupEventsPerSecond: values['lookup-events-rate'] === undefined ? undefined : Number(values['lookup-events-rate']),
  onRequest: values.quiet
    ? undefined
    : (entry) => {
        if (seeding) return;
        if (pending.length === 0) setImmediate(flush);
        pending.push(entry);
      },
});
if (values.seed === 'demo') {
  seeding = true;
  const now = Date.now();
  const seeded = await seedDemo({ emulator, now, historyEvents, setNow: (ms) => (clockOffset = ms - now) });
  clockOffset = 0;
  seeding = false;
  const seconds = ((Date.now() - now) / 1000).toFixed(1);
  console.log(seeded.created > 0 ? `Seeded the demo account: ${seeded.created} keys in three Regions, ${seeded.events.toLocaleString('en-US')} CloudTrail events of 90 days of history (${seconds} s)` : 'The demo account is already there.');
}
const traffic = trafficPerMinute > 0 ? startTraffic({ emulator, perMinute: trafficPerMinute }) : undefined;
const server = createEmulatorServer(emulator, { workers, workerScript });
server.listen(port, values.host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  if (traffic) console.log(`  live demo traffic: about ${trafficPerMinute} calls a minute from the demo applications`);
  const access = values['no-auth'] ? ', NO access control: signatures and policies are not checked' : '';
  const threads = workers > 0 ? `, ${workers} data-plane worker thread${workers === 1 ? '' : 's'}` : '';
  console.log(`Keydeck KMS emulator listening on http://${values.host}:${actual} (${dataDir ? `data in ${dataDir}` : 'in memory'}${threads}${access})`);
  console.log(`  try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws kms list-keys --region us-east-1 --endpoint-url http://${values.host}:${actual}`);
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the emulator`);
  traffic?.stop();
  server.close(() => void emulator.close().then(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 2000).unref();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
