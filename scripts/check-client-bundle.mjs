#!/usr/bin/env node
/**
 * Fails the build when a browser bundle (`.next/static/**`) holds what must stay on the server: AWS
 * credentials, the AWS SDK's server code, or the KMS emulator. Run after `next build`:
 * `node scripts/check-client-bundle.mjs [dir]` (default `.next/static`). Exits 1 naming each file and marker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Strings that only the SDK's client machinery contains, whichever build of it (Node or browser) a
 * bundler picks: the names of the middleware of every client's stack and SigV4's algorithm and scope
 * (string literals, so minifiers keep them). The console's own client code never names them.
 */
export const SDK_MARKERS = ['deserializerMiddleware', 'serializerMiddleware', 'awsAuthMiddleware', 'httpSigningMiddleware', 'AWS4-HMAC-SHA256', 'aws4_request'];

/**
 * Messages written only in lib/emulator: its dispatcher (index.ts) and its input validation
 * (validate.ts, which imports no Node module, so a bundler could pull it into a browser chunk; the
 * dispatcher needs node:fs and node:crypto, and Turbopack refuses to build a client chunk with it).
 */
export const EMULATOR_MARKERS = [
  'An internal error occurred in the KMS emulator.',
  'The request body is not valid JSON.',
  'Start of structure or map found where not expected',
  'expected a base64-encoded blob',
];

/**
 * zod's own error names: validation is the server's (every server action parses its input), and zod costs a
 * browser ~28 KB gzip on every page when a client component imports a module that imports it — as
 * lib/auth/roles.ts once did, pushing /keys past its 200 KB first-load budget.
 */
export const ZOD_MARKERS = ['ZodEncodeError', 'ZodCyclicError'];

/** An access key id (AKIA… long-term, ASIA… temporary) with a 40-character secret key within 200 characters of it. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
const SECRET_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/;
const NEAR = 200;

/** Values too short to be real secrets (`test`, the demo's) would match everywhere; real ones are 40+ characters. */
const MIN_SECRET_LENGTH = 16;

/**
 * Every finding in the files under `dir`: `{ file, marker }` with `file` relative to `dir`. `env` gives
 * the secret values to look for (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); they are never printed.
 * @param {string} dir
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ file: string, marker: string }[]}
 */
export function scanBundle(dir, env = process.env) {
  const secrets = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
    .map((name) => ({ name, value: env[name] }))
    .filter((s) => typeof s.value === 'string' && s.value.length >= MIN_SECRET_LENGTH);
  /** @type {{ file: string, marker: string }[]} */
  const findings = [];
  for (const file of listFiles(dir)) {
    if (!/\.(js|mjs|cjs|map|json|txt|html|css)$/.test(file)) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const found = (/** @type {string} */ marker) => findings.push({ file, marker });
    for (const marker of SDK_MARKERS) if (text.includes(marker)) found(`AWS SDK server code (${marker})`);
    for (const marker of EMULATOR_MARKERS) if (text.includes(marker)) found(`the KMS emulator (${JSON.stringify(marker)})`);
    for (const marker of ZOD_MARKERS) if (text.includes(marker)) found(`zod, a server-side validator (${marker})`);
    for (const secret of secrets) if (text.includes(secret.value)) found(`the value of ${secret.name}`);
    for (const match of text.matchAll(ACCESS_KEY_ID)) {
      const around = text.slice(Math.max(0, match.index - NEAR), match.index + match[0].length + NEAR).replace(match[0], '');
      if (SECRET_KEY.test(around)) {
        found(`an AWS access key id (${match[0].slice(0, 4)}…) next to a secret access key`);
        break;
      }
    }
  }
  return findings;
}

/**
 * @param {string} dir
 * @param {string} [prefix]
 * @returns {string[]}
 */
function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.resolve(process.argv[2] ?? '.next/static');
  if (!fs.existsSync(dir)) {
    console.error(`check-client-bundle: ${dir} does not exist; run \`next build\` first.`);
    process.exit(2);
  }
  const findings = scanBundle(dir);
  if (findings.length > 0) {
    console.error(`check-client-bundle: ${findings.length} finding(s) in the browser bundles under ${path.relative(process.cwd(), dir) || dir}:`);
    for (const { file, marker } of findings) console.error(`  ${file}: ${marker}`);
    process.exit(1);
  }
  console.log(`check-client-bundle: no credentials, AWS SDK server code or emulator in ${path.relative(process.cwd(), dir) || dir}.`);
}
