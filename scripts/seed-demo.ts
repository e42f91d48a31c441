/** `npm run seed:demo`: puts the demo account into the emulator's data dir when it is empty (run before the console starts). */
import path from 'node:path';
import { getConfig } from '../lib/config';
import { createEmulator } from '../lib/emulator/index';
import { seedDemo } from '../lib/emulator/demo-account';

// The SDK warns on Node 20 about its 2027 support window; nothing to act on here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const config = getConfig();
const dataDir = path.join(config.dataDir, 'emulator'); // the directory lib/aws/shared-emulator.ts opens
// The seed runs on a clock it moves: keys are made 30 days ago, then 30 days of traffic are replayed.
const DAYS = 30;
let now = Date.now();
const emulator = createEmulator({ dataDir, clock: () => new Date(now) });
const { created, awsManaged, calls } = await seedDemo({ emulator, setNow: (ms) => (now = ms), now: Date.now(), days: DAYS, home: config.region });
await emulator.close();
console.log(created > 0 ? `Seeded ${created} demo keys in three Regions into ${dataDir}` : `Demo keys already present in ${dataDir}`);
if (awsManaged > 0) console.log(`Created ${awsManaged} AWS managed keys (aws/ebs, aws/s3 …) in the demo account`);
if (calls > 0) console.log(`Replayed ${calls} KMS calls of the last ${DAYS} days into CloudTrail`);
