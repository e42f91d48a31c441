/**
 * Where a request comes from, for the audit log, the session record and the sign-in rate limit: an
 * address the client cannot choose.
 *
 * Without KEYDECK_TRUST_PROXY, the TCP peer's address (lib/security/peer-address.ts); X-Forwarded-For and
 * X-Real-IP are anyone's to write and are ignored. With KEYDECK_TRUST_PROXY, the console sits behind one
 * reverse proxy that appends the address it was reached from to X-Forwarded-For (nginx's
 * `$proxy_add_x_forwarded_for`, an AWS ALB, Caddy): the last entry is that proxy's word, earlier ones came
 * from the client. Behind a chain of proxies, the last one must be configured to replace the header with
 * the real client's address (nginx's realip module), since only it is trusted here.
 */
export function clientAddress(headers: Headers, trustProxy: boolean, peer: string | undefined): string {
  if (trustProxy) {
    const last = headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return peer ?? '';
}
