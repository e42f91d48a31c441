// `npm run emulator`: bundles scripts/emulator.ts and its worker threads (lib/emulator/worker.ts, trail-worker.ts) with
// esbuild (TypeScript → ES modules, ~0.2 s) and runs the server in this process. A plain build runs
// the request path measurably faster than an on-the-fly TypeScript loader, and worker threads need
// JavaScript anyway. Arguments pass through unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Under node_modules so the bundles resolve their (external) packages from the project.
const cache = path.join(root, 'node_modules', '.cache', 'keydeck');
fs.mkdirSync(cache, { recursive: true });

async function bundle(entry, name) {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    write: false,
    logLevel: 'warning',
  });
  // Write-then-rename, so a second emulator starting at the same moment never loads half a file.
  const outfile = path.join(cache, name);
  const tmp = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0].contents);
  fs.renameSync(tmp, outfile);
  return outfile;
}

const [server, worker, trailWorker] = await Promise.all([
  bundle('scripts/emulator.ts', 'emulator.mjs'),
  bundle('lib/emulator/worker.ts', 'emulator-worker.mjs'),
  bundle('lib/emulator/trail-worker.ts', 'emulator-trail-worker.mjs'),
]);
process.env.KEYDECK_EMULATOR_WORKER = worker;
process.env.KEYDECK_EMULATOR_TRAIL_WORKER = trailWorker;
await import(pathToFileURL(server).href);
