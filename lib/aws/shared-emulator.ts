/** The process's one KMS emulator (demo mode), shared by the SDK clients and the `/api/kms` endpoint. */
import 'server-only';
import path from 'node:path';
import { getConfig } from '@/lib/config';
import { createEmulator, type Emulator } from '@/lib/emulator';

// Kept on globalThis, not in a module variable: Next.js bundles routes separately and reloads modules
// in development, and two emulators over one data dir would each journal their own view of the state.
const HOLDER = Symbol.for('keydeck.emulator');
type Holder = { [HOLDER]?: { emulator: Emulator; dataDir: string } };

/** The shared emulator, created on first use with its state in `${KEYDECK_DATA_DIR}/emulator`. */
export function sharedEmulator(dataDir: string = getConfig().dataDir): Emulator {
  const holder = globalThis as Holder;
  const emulatorDir = path.join(dataDir, 'emulator');
  const existing = holder[HOLDER];
  if (existing) {
    if (existing.dataDir !== emulatorDir) {
      throw new Error(`The KMS emulator is already running over ${existing.dataDir}; cannot open ${emulatorDir} too.`);
    }
    return existing.emulator;
  }
  const emulator = createEmulator({ dataDir: emulatorDir });
  holder[HOLDER] = { emulator, dataDir: emulatorDir };
  return emulator;
}
