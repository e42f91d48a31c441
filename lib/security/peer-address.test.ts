import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';
import { installPeerAddressCapture, normalizeAddress, peerAddress, runWithPeerAddress } from './peer-address';

describe('the TCP peer of the request being handled', () => {
  let server: http.Server;
  let url = '';

  beforeAll(async () => {
    // Made before the hook is installed, as Next's server is (instrumentation runs after it listens).
    server = http.createServer((request, response) => {
      // Read after an await and a timer, as a server action reads it deep inside Next.
      void (async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const headers = new Headers(request.headers as Record<string, string>);
        response.end(JSON.stringify({ peer: peerAddress(), ip: clientAddress(headers, false, peerAddress()), behindProxy: clientAddress(headers, true, peerAddress()) }));
      })();
    });
    installPeerAddressCapture();
    installPeerAddressCapture();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is the socket address, whatever X-Forwarded-For the client sends', async () => {
    const answer = await (await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-real-ip': '203.0.113.10' } })).json();
    expect(answer).toEqual({ peer: '127.0.0.1', ip: '127.0.0.1', behindProxy: '10.0.0.1' });
  });

  it('is unknown outside a request', () => {
    expect(peerAddress()).toBeUndefined();
    expect(runWithPeerAddress('::ffff:192.0.2.7', () => peerAddress())).toBe('192.0.2.7');
  });
});

describe('clientAddress', () => {
  const forged = new Headers({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.10' });

  it('ignores X-Forwarded-For and X-Real-IP without KEYDECK_TRUST_PROXY', () => {
    expect(clientAddress(forged, false, '192.0.2.1')).toBe('192.0.2.1');
    expect(clientAddress(forged, false, undefined)).toBe('');
  });

  it("takes the last X-Forwarded-For entry (the trusted proxy's) with KEYDECK_TRUST_PROXY, else the peer", () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.20' }), true, '10.0.0.2')).toBe('198.51.100.20');
    expect(clientAddress(new Headers(), true, '10.0.0.2')).toBe('10.0.0.2');
  });

  it('reads IPv4-mapped IPv6 peers as IPv4', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('::1')).toBe('::1');
  });
});
