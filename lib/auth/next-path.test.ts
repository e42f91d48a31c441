import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPathFor } from './next-path';

describe('safeNextPath', () => {
  it('keeps a path of this site with its query', () => {
    expect(safeNextPath('/keys/1234abcd?region=eu-west-1')).toBe('/keys/1234abcd?region=eu-west-1');
    expect(safeNextPath('/usage')).toBe('/usage');
  });

  it('refuses other sites in every spelling, and falls back to the inventory', () => {
    for (const bad of ['//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/keys', 'javascript:alert(1)', '/\t/evil.example', '/%0a/evil', '', null, undefined, 'keys', '/signin?next=/keys', '/api/keys']) {
      const result = safeNextPath(bad);
      expect(result.startsWith('/') && !result.startsWith('//'), String(bad)).toBe(true);
      if (bad !== '/%0a/evil') expect(result, String(bad)).toBe('/keys');
    }
    // An encoded newline stays encoded: a path, not a new host.
    expect(safeNextPath('/%0a/evil')).toBe('/%0a/evil');
  });

  it('builds the sign-in URL that comes back', () => {
    expect(signInPathFor('/usage?region=eu-west-2')).toBe('/signin?next=%2Fusage%3Fregion%3Deu-west-2');
    expect(signInPathFor('/keys')).toBe('/signin');
  });
});
