/**
 * The address of the TCP peer of the request being handled: the one thing about a caller the caller
 * cannot choose. Node-only; installed once at server start (instrumentation-node.ts).
 *
 * Why a hook: `next start` gives route handlers, server actions and proxy.ts only the request's headers.
 * It fills X-Forwarded-For with the socket's address only when the request has none
 * (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in next/dist/server/base-server.js), so a
 * client that sends its own X-Forwarded-For replaces its address with any text. The hook wraps each
 * HTTP server's `request` event in an AsyncLocalStorage holding `socket.remoteAddress`; everything Next
 * runs for that request (proxy.ts, the page, its server actions, route handlers) continues that async
 * context and reads it here.
 */
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import https from 'node:https';

// On globalThis: instrumentation and the app's server code are separate bundles with their own copy of this module.
const STORAGE_KEY = Symbol.for('keydeck.peerAddress');
const INSTALLED_KEY = Symbol.for('keydeck.peerAddress.installed');
type PeerGlobal = typeof globalThis & { [STORAGE_KEY]?: AsyncLocalStorage<string>; [INSTALLED_KEY]?: boolean };
const peerGlobal = globalThis as PeerGlobal;

function storage(): AsyncLocalStorage<string> {
  peerGlobal[STORAGE_KEY] ??= new AsyncLocalStorage<string>();
  return peerGlobal[STORAGE_KEY];
}

/** `::ffff:127.0.0.1` (an IPv4 peer of a dual-stack socket) reads as `127.0.0.1`. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Runs `fn` as the handling of a request whose TCP peer is `address` (the hook's job; tests use it too). */
export function runWithPeerAddress<T>(address: string, fn: () => T): T {
  return storage().run(normalizeAddress(address), fn);
}

/** The TCP peer of the request being handled, or undefined outside one (or before the hook was installed). */
export function peerAddress(): string | undefined {
  return storage().getStore();
}

/**
 * Makes every HTTP(S) server of this process record its requests' peer address. Idempotent. Patches the
 * servers' prototype `emit`, so servers made before the call (Next's own) are covered from their next request.
 */
export function installPeerAddressCapture(): void {
  if (peerGlobal[INSTALLED_KEY]) return;
  peerGlobal[INSTALLED_KEY] = true;
  for (const prototype of new Set([http.Server.prototype, https.Server.prototype])) {
    // Overloaded per event name in @types/node; called here with whatever the server emitted.
    const emit = prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
    prototype.emit = function emitWithPeer(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'request') {
        const request = args[0] as http.IncomingMessage;
        return runWithPeerAddress(request.socket?.remoteAddress ?? '', () => emit.call(this, event, ...args));
      }
      return emit.call(this, event, ...args);
    } as typeof prototype.emit;
  }
}
