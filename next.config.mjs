// @ts-check

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
};

export default nextConfig;
