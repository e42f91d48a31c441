/**
 * `npx tsx bench/dispatch.ts`: the CPU of one in-process `dispatch` of a signed Encrypt — the key, 3-statement
 * policy and grant of `npm run bench:emulator`'s dispatch line, measured the same way (a fresh emulator, 2,000
 * dispatches to warm up, best of 3 rounds) — on the core path and with access control, alternated BENCH_ROUNDS
 * times (default 5; the best of each printed): a quicker, steadier loop than the whole bench for work on the
 * request path. BENCH_TRAIL=off drops the CloudTrail events instead of keeping them; BENCH_ACCESS=only (or none)
 * runs one path, e.g. under `node --cpu-prof --import tsx bench/dispatch.ts` for its profile.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { dispatchMicros } from './support/signed-encrypt';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = Number(process.env.BENCH_DISPATCHES ?? 5000);
const ONLY = process.env.BENCH_ACCESS;
const PAYLOAD = crypto.randomBytes(1024);
/** BENCH_TRAIL=off: CloudTrail events are made but not kept (handed to `onEvents` and dropped): the request path without the trail's writes. */
const KEEP_TRAIL = process.env.BENCH_TRAIL !== 'off';

/** One emulator at a time, as bench/emulator.ts measures: set up, best of 3 rounds, close (its trail and heap go with it). */
const measure = (enforceAccess: boolean) => dispatchMicros(enforceAccess, PAYLOAD, { keepTrail: KEEP_TRAIL, perRound: PER_ROUND });

let bestCore = Infinity;
let bestFull = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  if (ONLY !== 'only') bestCore = Math.min(bestCore, await measure(false));
  if (ONLY !== 'none') bestFull = Math.min(bestFull, await measure(true));
}
const load = os.loadavg().map((n) => n.toFixed(2)).join(', ');
console.log(
  `dispatch in process, CPU per signed Encrypt, best of ${ROUNDS}×3×${PER_ROUND}: core path ${bestCore.toFixed(1)} µs, with access control ${bestFull.toFixed(1)} µs` +
    (!ONLY ? ` (${(bestFull / bestCore).toFixed(2)}× the core path)` : '') +
    `${KEEP_TRAIL ? '' : ', events not kept'}; load average ${load}`,
);
