// @ts-check

/**
 * KEYDECK_ALLOWED_ORIGINS (validated, with a message naming it, by lib/config.ts, which proxy.ts loads on
 * the first request) as the host names Next's own server-action origin check takes. Read when the server
 * starts, like every setting here, so `next start` picks up a change without a rebuild.
 */
function allowedOriginHosts() {
  return (process.env.KEYDECK_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((entry) => {
      try {
        return new URL(entry.trim()).host;
      } catch {
        return '';
      }
    })
    .filter((host) => host !== '');
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Load the AWS SDK clients from node_modules at run time instead of bundling them: they are large
  // and Node-only, and the emulator and the console then share one copy of their classes.
  serverExternalPackages: ['@aws-sdk/client-kms', '@aws-sdk/client-cloudtrail'],
  typescript: {
    // `npm run typecheck` checks the whole repository (scripts/ and bench/ too) before any build in
    // `npm test`; repeating it inside `next build` costs time and fails the app over non-app files.
    ignoreBuildErrors: true,
  },
  // AWS SDKs post JSON-protocol calls to the endpoint's path plus '/': `<origin>/api/kms/` for an
  // endpoint of `<origin>/api/kms`. Next's default 308 to the slash-less URL breaks them (SDKs don't
  // follow redirects), so keep trailing-slash URLs where they are; proxy.ts redirects the others.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  experimental: {
    serverActions: {
      // The largest legitimate action is PutKeyPolicy: a policy of at most 32,768 bytes, at most ~64 KB
      // once JSON-escaped in the action's payload. CreateKey carries a description (≤ 8,192 characters)
      // and 50 tags (≤ 128 + 256) besides, about 100 KB at worst; the playground's 4 KB plaintext is
      // ~5.5 KB as base64, a 6 KB ciphertext ~8 KB. 256 KB leaves room and refuses anything bigger
      // instead of buffering Next's default of 1 MB per request. Keep it equal to
      // SERVER_ACTION_MAX_BODY_BYTES (lib/security/body-limit.ts), which proxy.ts checks first.
      bodySizeLimit: '256kb',
      // Next checks a server action's Origin against the Host it was sent to; a console behind a reverse
      // proxy with another public name lists that name in KEYDECK_ALLOWED_ORIGINS.
      allowedOrigins: allowedOriginHosts(),
    },
  },
  // proxy.ts sets the security headers of pages and API answers; the build's static files, which it
  // skips, still must never be sniffed into another type or framed.
  async headers() {
    return [
      {
        // public/: the files the proxy does not see (robots.txt).
        source: '/robots.txt',
        headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }],
      },
      {
        source: '/_next/static/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
