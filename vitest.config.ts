import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      // The `@/` path alias of tsconfig.json.
      { find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) },
      // Next.js resolves `server-only` itself; outside Next the marker must be a no-op.
      { find: /^server-only$/, replacement: 'next/dist/compiled/server-only/empty.js' },
    ],
  },
  test: {
    // Only unit tests: Playwright's e2e/*.spec.ts must never be collected here.
    include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // The SDK's Node 20 support-window notice, printed once per worker, says nothing about the tests.
    // A demo seed in a test writes a small CloudTrail history, not the demo's million events.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', KEYDECK_DEMO_HISTORY_EVENTS: '5000' },
    testTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine. Many of
    // these tests wait on child processes (the AWS CLI, boto3, a standalone emulator), so three overlap well.
    maxWorkers: Number(process.env.KEYDECK_TEST_WORKERS ?? 3),
  },
});
