import { describe, expect, it } from 'vitest';
import { crossOriginRefusal, forbiddenResponse, requestHost } from './origin';

const check = (method: string, headers: Record<string, string>, allowedOrigins: string[] = []) =>
  crossOriginRefusal({ method, headers: new Headers(headers), allowedOrigins });

describe('crossOriginRefusal', () => {
  it('lets safe methods through from anywhere', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) expect(check(method, { host: 'console:3000', origin: 'https://evil.example' })).toBeUndefined();
  });

  it('lets a POST from the console’s own host through, by Host or by X-Forwarded-Host', () => {
    expect(check('POST', { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(check('POST', { host: 'internal:3000', 'x-forwarded-host': 'Kms.Example.com', origin: 'https://kms.example.com' })).toBeUndefined();
  });

  it('refuses a POST from another origin, naming it', () => {
    expect(check('POST', { host: '127.0.0.1:3000', origin: 'http://evil.example' })).toBe("Requests from http://evil.example are refused: only this console's own pages may change anything.");
    // Same host name, another port: another origin.
    expect(check('DELETE', { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:4000' })).toMatch(/refused/);
    expect(check('POST', { host: 'a', origin: 'null' })).toMatch(/opaque origin/);
    expect(check('POST', { host: 'a', origin: '::not a url' })).toMatch(/not a valid origin/);
  });

  it('lets KEYDECK_ALLOWED_ORIGINS through and nothing else', () => {
    expect(check('POST', { host: 'internal:3000', origin: 'https://kms.example.com' }, ['https://kms.example.com'])).toBeUndefined();
    expect(check('POST', { host: 'internal:3000', origin: 'http://kms.example.com' }, ['https://kms.example.com'])).toMatch(/refused/);
  });

  it('lets the AWS CLI (no Origin, no Fetch Metadata) through but not a cross-site browser without Origin', () => {
    expect(check('POST', { host: '127.0.0.1:3000', 'x-amz-target': 'TrentService.ListKeys' })).toBeUndefined();
    expect(check('POST', { host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' })).toMatch(/Cross-site requests are refused/);
    expect(check('POST', { host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site' })).toMatch(/refused/);
    expect(check('POST', { host: '127.0.0.1:3000', 'sec-fetch-site': 'none' })).toBeUndefined();
  });

  it('reads the host as Next does: the first X-Forwarded-Host, else Host', () => {
    expect(requestHost(new Headers({ host: 'h:1', 'x-forwarded-host': 'a.example, b.example' }))).toBe('a.example');
    expect(requestHost(new Headers({ host: 'h:1' }))).toBe('h:1');
  });
});

describe('forbiddenResponse', () => {
  it('answers 403 AccessDeniedException as AWS and as the console’s error shape', async () => {
    const response = forbiddenResponse('no');
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(await response.json()).toEqual({ __type: 'AccessDeniedException', message: 'no', error: { name: 'AccessDeniedException', message: 'no' } });
  });
});
