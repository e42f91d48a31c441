import { describe, expect, it } from 'vitest';
import { API_CSP, createNonce, pageCsp, securityHeaders, servedOverHttps } from './headers';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe('pageCsp', () => {
  it('allows only nonced scripts and locks the rest down', () => {
    const csp = directives(pageCsp({ nonce: 'abc' }));
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    // Inline CSS may not fetch from elsewhere: no other host anywhere in the policy.
    expect(pageCsp({ nonce: 'abc' })).not.toMatch(/https?:|\*/);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it("adds 'unsafe-eval' only in development and upgrade-insecure-requests only on https", () => {
    expect(directives(pageCsp({ nonce: 'n', dev: true })).get('script-src')).toContain("'unsafe-eval'");
    expect(pageCsp({ nonce: 'n' })).not.toContain('unsafe-eval');
    expect(directives(pageCsp({ nonce: 'n', https: true })).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('createNonce', () => {
  it('makes 128-bit base64 nonces that differ each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe('securityHeaders', () => {
  it('sends the hardening set, HSTS only over https', () => {
    const plain = securityHeaders({ csp: API_CSP, https: false });
    expect(plain).toMatchObject({
      'content-security-policy': API_CSP,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(plain['permissions-policy']).toContain('camera=()');
    expect(plain).not.toHaveProperty('strict-transport-security');
    expect(securityHeaders({ csp: API_CSP, https: true })['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });
});

describe('servedOverHttps', () => {
  it('believes X-Forwarded-Proto only from a trusted proxy, and only its own (last) value', () => {
    const forwarded = new Headers({ 'x-forwarded-proto': 'https' });
    expect(servedOverHttps(forwarded, false)).toBe(false);
    expect(servedOverHttps(forwarded, true)).toBe(true);
    expect(servedOverHttps(new Headers({ 'x-forwarded-proto': 'https, http' }), true)).toBe(false);
    expect(servedOverHttps(new Headers(), true)).toBe(false);
  });
});
