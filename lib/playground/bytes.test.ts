import { describe, expect, it } from 'vitest';
import { asText, contextFromRows, fromBase64, publicKeyDer, publicKeyPem, toBase64, toHex, utf8 } from './bytes';

describe('playground bytes', () => {
  it('base64 round-trips and matches Node', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
  });

  it('shows bytes as text only when they are printable UTF-8', () => {
    expect(asText(utf8('héllo\nworld'))).toBe('héllo\nworld');
    expect(asText(new Uint8Array([0xff, 0xfe]))).toBeNull();
    expect(asText(new Uint8Array([0x41, 0x00]))).toBeNull();
    expect(toHex(new Uint8Array([0, 255]))).toBe('00ff');
  });

  it('reads a public key pasted as PEM or base64', () => {
    const der = new Uint8Array([48, 89, 48, 19, 6, 7]);
    expect(publicKeyDer(publicKeyPem(der))).toEqual(der);
    expect(publicKeyDer(toBase64(der))).toEqual(der);
    expect(publicKeyDer('not a key!')).toBeNull();
  });

  it('builds an encryption context from editor rows and names a bad row', () => {
    expect(contextFromRows([{ key: 'team', value: 'orders' }, { key: '', value: '' }])).toEqual({ context: { team: 'orders' } });
    expect(contextFromRows([{ key: '', value: 'x' }])).toEqual({ error: 'The context value "x" has no key.' });
    expect(contextFromRows([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toEqual({ error: 'The context key "a" appears twice.' });
  });
});
