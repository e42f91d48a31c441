/** Credentials never reach the browser: no client component imports the code that holds them. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(rel);
    return /\.(ts|tsx)$/.test(entry.name) ? [rel] : [];
  });
}

describe('lib/aws stays on the server', () => {
  it("no 'use client' module imports a value from lib/aws, lib/kms/scope or lib/config", () => {
    const offenders: string[] = [];
    for (const file of [...sources('app'), ...sources('components'), ...sources('lib')]) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      if (!/^\s*['"]use client['"]/.test(text)) continue;
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+['"]([^'"]+)['"]/gm)) {
        const [, typeOnly, from] = m;
        const serverOnly = from.startsWith('@/lib/aws') || from === '@/lib/kms/scope' || from === '@/lib/config';
        if (serverOnly && !typeOnly) offenders.push(`${file} imports ${from}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the modules that build clients or hold credentials import server-only', () => {
    for (const file of ['lib/aws/clients.ts', 'lib/aws/shared-emulator.ts', 'lib/aws/settings-status.ts', 'lib/kms/scope.ts']) {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8'), file).toMatch(/^import 'server-only';$/m);
    }
  });
});
