import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// A fresh data dir for this file, set before the modules that read the configuration are imported.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-session-'));
process.env.KEYDECK_MODE = 'demo';
process.env.KEYDECK_DATA_DIR = dataDir;
delete process.env.KEYDECK_TRUST_PROXY;

vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);

const { getConfig } = await import('@/lib/config');
const { testRequest } = await import('./test-request');
const { clientInfo, startSession, signIn } = await import('./session');
const { isHttps } = await import('./oidc-http');
const { runWithPeerAddress } = await import('@/lib/security/peer-address');
const { sharedStore } = await import('@/lib/store/shared');
const { PLAIN_SESSION_COOKIE, SECURE_SESSION_COOKIE } = await import('./cookie-names');

afterEach(() => {
  testRequest.headers = {};
  testRequest.setCookies = [];
  getConfig().trustProxy = false;
});

afterAll(async () => {
  await (await sharedStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const identity = { provider: 'local' as const, subject: 'cookie-1', name: 'cookie one', email: null, role: 'viewer' as const, accounts: null };

describe('the caller’s address', () => {
  it('is the TCP peer, not the X-Forwarded-For or X-Real-IP the client sent', async () => {
    testRequest.headers = { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.10' };
    expect((await runWithPeerAddress('192.0.2.44', () => clientInfo())).ip).toBe('192.0.2.44');
  });

  it("is the trusted proxy's X-Forwarded-For entry with KEYDECK_TRUST_PROXY", async () => {
    getConfig().trustProxy = true;
    testRequest.headers = { 'x-forwarded-for': '203.0.113.9, 198.51.100.77' };
    expect((await runWithPeerAddress('10.0.0.3', () => clientInfo())).ip).toBe('198.51.100.77');
  });
});

describe('the session cookie', () => {
  it('stays plain (not Secure) when a client without a trusted proxy says X-Forwarded-Proto: https', async () => {
    testRequest.headers = { 'x-forwarded-proto': 'https' };
    await signIn(identity);
    expect(testRequest.setCookies).toEqual([expect.objectContaining({ name: PLAIN_SESSION_COOKIE, secure: false, httpOnly: true, sameSite: 'lax', path: '/' })]);
  });

  it('is __Host- prefixed and Secure when the trusted proxy says https', async () => {
    getConfig().trustProxy = true;
    testRequest.headers = { 'x-forwarded-proto': 'https' };
    const user = await signIn(identity);
    testRequest.setCookies = [];
    await startSession(user);
    expect(testRequest.setCookies).toEqual([expect.objectContaining({ name: SECURE_SESSION_COOKIE, secure: true, httpOnly: true, sameSite: 'lax', path: '/' })]);
    expect(testRequest.setCookies[0]!.value).toMatch(/^[\w-]{20,}$/);
  });

  it("is plain when the trusted proxy's own (last) X-Forwarded-Proto says http", async () => {
    getConfig().trustProxy = true;
    testRequest.headers = { 'x-forwarded-proto': 'https, http' };
    await signIn(identity);
    expect(testRequest.setCookies).toEqual([expect.objectContaining({ name: PLAIN_SESSION_COOKIE, secure: false })]);
  });
});

describe("the OIDC state cookie's https detection", () => {
  const config = { publicUrl: undefined } as unknown as Parameters<typeof isHttps>[1];
  const forged = new Request('http://console.internal/api/auth/oidc/start', { headers: { 'x-forwarded-proto': 'https' } });

  it('ignores a forged X-Forwarded-Proto without a trusted proxy, and believes a trusted one', () => {
    expect(isHttps(forged, config, false)).toBe(false);
    expect(isHttps(forged, config, true)).toBe(true);
  });

  it('is https when KEYDECK_PUBLIC_URL is', () => {
    expect(isHttps(new Request('http://console.internal/'), { publicUrl: 'https://kms.example.com' } as unknown as Parameters<typeof isHttps>[1], false)).toBe(true);
  });
});
