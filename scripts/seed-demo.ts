/** `npm run seed:demo`: puts the demo keys into the emulator's data dir when it is empty (run before the console starts). */
import path from 'node:path';
import { getConfig } from '../lib/config';
import { createEmulator, DEMO_ACCOUNT } from '../lib/emulator/index';
import { scheduleDemoDeletions, seedDemoKeys } from '../lib/emulator/seed';
import { seedHistory } from '../lib/emulator/seed-history';

// The SDK warns on Node 20 about its 2027 support window; nothing to act on here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const config = getConfig();
const dataDir = path.join(config.dataDir, 'emulator'); // the directory lib/aws/shared-emulator.ts opens
// The seed runs on a clock it moves: keys are made 30 days ago, then 30 days of traffic are replayed.
const DAYS = 30;
let now = Date.now() - DAYS * 86_400_000;
const emulator = createEmulator({ dataDir, clock: () => new Date(now) });
const kms = emulator.kmsClient({ region: config.region });
const created = await seedDemoKeys(kms, { deferDeletions: true });
let calls = 0;
if (created > 0) {
  calls = await seedHistory({ emulator, setNow: (ms) => (now = ms), days: DAYS, end: Date.now(), peakPerHour: 12 });
}
now = Date.now();
if (created > 0) await scheduleDemoDeletions(kms);
// AWS services make these on first use; the demo account has used EBS, S3, RDS … in its three regions.
let managed = 0;
for (const region of new Set([config.region, 'us-east-1', 'eu-west-1', 'eu-west-2'])) managed += emulator.createAwsManagedKeys(DEMO_ACCOUNT, region);
await emulator.close();
console.log(created > 0 ? `Seeded ${created} demo keys into ${dataDir}` : `Demo keys already present in ${dataDir}`);
if (managed > 0) console.log(`Created ${managed} AWS managed keys (aws/ebs, aws/s3 …) in the demo account`);
if (calls > 0) console.log(`Replayed ${calls} KMS calls of the last ${DAYS} days into CloudTrail`);
