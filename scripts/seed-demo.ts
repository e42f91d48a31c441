/** `npm run seed:demo`: puts the demo account into the emulator's data dir when it is empty (run before the console starts). */
import path from 'node:path';
import { getConfig } from '../lib/config';
import { createEmulator } from '../lib/emulator/index';
import { seedDemo } from '../lib/emulator/demo-account';
import { historyEventsFromEnv } from '../lib/emulator/history';

// The SDK warns on Node 20 about its 2027 support window; nothing to act on here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const config = getConfig();
let historyEvents: number;
try {
  historyEvents = historyEventsFromEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const dataDir = path.join(config.dataDir, 'emulator'); // the directory lib/aws/shared-emulator.ts opens
// The seed runs on a clock it moves: keys are made 90 days ago, then 90 days of history are written.
const DAYS = 90;
const started = performance.now();
let now = Date.now();
const emulator = createEmulator({ dataDir, clock: () => new Date(now) });
const { created, awsManaged, events } = await seedDemo({ emulator, setNow: (ms) => (now = ms), now: Date.now(), days: DAYS, historyEvents, home: config.region });
await emulator.close();
console.log(created > 0 ? `Seeded ${created} demo keys in three Regions into ${dataDir}` : `Demo keys already present in ${dataDir}`);
if (awsManaged > 0) console.log(`Created ${awsManaged} AWS managed keys (aws/ebs, aws/s3 …) in the demo account`);
if (events > 0) console.log(`Wrote ${events.toLocaleString('en-US')} CloudTrail events of the last ${DAYS} days (KEYDECK_DEMO_HISTORY_EVENTS); the seed took ${((performance.now() - started) / 1000).toFixed(1)} s`);
