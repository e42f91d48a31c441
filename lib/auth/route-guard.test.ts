import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every route handler checks the caller's role on the server (issue: roles enforced for every route, not
// only by hidden buttons). These answer without a session on purpose, each for a stated reason.
const OPEN = new Map([
  ['app/api/kms/route.ts', 'the emulator endpoint for the AWS CLI and SDKs: SigV4 authenticates each request'],
  ['app/api/auth/me/route.ts', 'says who is signed in, 401 when nobody is'],
  ['app/api/auth/oidc/start/route.ts', 'starts single sign-on for a signed-out browser'],
  ['app/api/auth/oidc/callback/route.ts', 'completes single sign-on for a signed-out browser'],
]);

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full] : [];
  });
}

describe('route handlers', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const files = routeFiles(path.join(root, 'app/api')).map((f) => path.relative(root, f));

  it('each exports its methods through withRole, unless it is one of the open routes', () => {
    expect(files.length).toBeGreaterThan(10);
    const unguarded = files.filter((file) => {
      if (OPEN.has(file)) return false;
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      const methods = [...source.matchAll(/export\s+(?:async\s+function|const|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
      const guarded = [...source.matchAll(/export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\s*=\s*withRole\(/g)].map((m) => m[1]);
      return methods.length === 0 || methods.some((m) => !guarded.includes(m));
    });
    expect(unguarded).toEqual([]);
  });

  it('lists only open routes that exist', () => {
    for (const file of OPEN.keys()) expect(files).toContain(file);
  });
});
