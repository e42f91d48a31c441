/** `npm run seed:demo`: puts the demo keys into the emulator's data dir when it is empty (run before the console starts). */
import path from 'node:path';
import { getConfig } from '../lib/config';
import { createEmulator } from '../lib/emulator/index';
import { seedDemoKeys } from '../lib/emulator/seed';

// The SDK warns on Node 20 about its 2027 support window; nothing to act on here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const config = getConfig();
const dataDir = path.join(config.dataDir, 'emulator'); // the directory lib/aws/shared-emulator.ts opens
const emulator = createEmulator({ dataDir });
const created = await seedDemoKeys(emulator.kmsClient({ region: config.region }));
await emulator.close();
console.log(created > 0 ? `Seeded ${created} demo keys into ${dataDir}` : `Demo keys already present in ${dataDir}`);
