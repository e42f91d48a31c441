#!/usr/bin/env node
/**
 * `npm run demo [-- --reset]`: builds the console when its sources are newer than the last build, seeds the
 * demo account into an empty data dir, and starts the console in demo mode on PORT (default 3000).
 * `--reset` first deletes the data dir (KEYDECK_DATA_DIR, default ./.keydeck): keys, history and all.
 */
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--reset');
if (unknown.length > 0) {
  console.error(`npm run demo: unknown option ${unknown.join(' ')} (the only option is --reset)`);
  process.exit(2);
}
const env = { ...process.env, KEYDECK_MODE: 'demo', NEXT_TELEMETRY_DISABLED: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const port = process.env.PORT || '3000';
const dataDir = path.resolve(root, process.env.KEYDECK_DATA_DIR || '.keydeck');

if (args.includes('--reset')) {
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`Reset: deleted ${dataDir}`);
}

/** The newest modification time under `entry`, skipping dependencies and build output. */
function newest(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    latest = Math.max(latest, newest(path.join(entry, name)));
  }
  return latest;
}

const buildId = path.join(root, '.next', 'BUILD_ID');
const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const sources = ['app', 'components', 'lib', 'public', 'proxy.ts', 'instrumentation.ts', 'instrumentation-node.ts', 'next.config.mjs', 'package.json', 'postcss.config.mjs', 'tsconfig.json'];
const changed = Math.max(...sources.map((source) => newest(path.join(root, source))));
const run = (command, commandArgs) => {
  const result = spawnSync(command, commandArgs, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
if (changed > built) {
  run(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build']);
  // As `npm run build`: a client bundle holding credentials, AWS SDK client code or the emulator is never served.
  run(process.execPath, [path.join(root, 'scripts', 'check-client-bundle.mjs')]);
} else console.log('The last build is current; not rebuilding.');
run(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', 'seed-demo.ts')]);

console.log(`\nKeydeck (demo mode) → http://localhost:${port}\n`);
const server = spawn(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', port], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
