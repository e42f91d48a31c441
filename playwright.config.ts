import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// E2E_PORT lets several checkouts run their suites side by side.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

// Every run starts from an empty emulator. Set in process.env so that the workers, which load this
// file again, see the same directory as the server.
process.env.KEYDECK_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-e2e-'));

// Real-AWS mode (e2e/aws-mode.spec.ts): a second console with KEYDECK_MODE=aws, whose AWS_ENDPOINT_URL is a
// standalone emulator (`npm run emulator`) with a data dir of its own. Ports are picked free once, in
// process.env, so the workers that load this file again agree with the servers.
const freePort = () =>
  spawnSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"], { encoding: 'utf8' }).stdout.trim();
process.env.KEYDECK_E2E_AWS_PORT ??= freePort();
process.env.KEYDECK_E2E_EMULATOR_PORT ??= freePort();
process.env.KEYDECK_E2E_EMULATOR_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-e2e-emulator-'));
const AWS_PORT = Number(process.env.KEYDECK_E2E_AWS_PORT);
const EMULATOR_URL = `http://127.0.0.1:${process.env.KEYDECK_E2E_EMULATOR_PORT}`;
process.env.KEYDECK_E2E_EMULATOR_URL = EMULATOR_URL;
/** The accounts of the aws-mode console: the base identity's, one reached through a role, and one whose role cannot be assumed. */
const AWS_MODE_ACCOUNTS = 'main=111122223333,partner=444455556666:arn:aws:iam::444455556666:role/keydeck-console,broken=444455556666:arn:aws:iam::444455556666:role/missing';

// A second demo console, with a data dir of its own, for the specs listed here: they share no state with
// the first console's specs (which count keys and events), so the two halves run side by side (CI has
// 2 cores and the e2e run is most of CI's time). Each project holds its specs to one worker: in one
// console they still run one file at a time, in order, as they were written to.
process.env.KEYDECK_E2E_DATA_DIR_B ??= fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-e2e-b-'));
process.env.KEYDECK_E2E_PORT_B ??= freePort();
const BASE_URL_B = `http://127.0.0.1:${process.env.KEYDECK_E2E_PORT_B}`;
process.env.KEYDECK_E2E_URL_B = BASE_URL_B;
const ON_SECOND_CONSOLE = /(key-detail|learn|playground|usage)\.spec\.ts/;

// Signed-in browser states, made by the `setup` project (e2e/auth.setup.ts) through the sign-in page:
// admin, operator and viewer demo personas on the demo console, and the local admin of the aws-mode one.
process.env.KEYDECK_E2E_AUTH_DIR ??= path.join(process.env.KEYDECK_E2E_DATA_DIR, 'e2e-auth');
const authState = (name: string) => path.join(process.env.KEYDECK_E2E_AUTH_DIR!, `${name}.json`);
process.env.KEYDECK_E2E_AWS_URL = `http://127.0.0.1:${AWS_PORT}`;
/** The aws-mode console's first admin, made with `npm run users` before it starts (as an operator would). */
const AWS_ADMIN = { name: 'e2e-admin', password: 'e2e admin password 2026' };
process.env.KEYDECK_E2E_AWS_ADMIN = AWS_ADMIN.name;
process.env.KEYDECK_E2E_AWS_ADMIN_PASSWORD = AWS_ADMIN.password;

// OpenID Connect sign-in (e2e/oidc.spec.ts): a local provider (scripts/oidc-test-provider.ts) with the demo console as
// its client; the console maps the provider's groups to roles.
process.env.KEYDECK_E2E_OIDC_PORT ??= freePort();
const OIDC_ISSUER = `http://127.0.0.1:${process.env.KEYDECK_E2E_OIDC_PORT}`;
const OIDC_ENV = {
  KEYDECK_OIDC_ISSUER: OIDC_ISSUER,
  KEYDECK_OIDC_CLIENT_ID: 'keydeck',
  KEYDECK_OIDC_CLIENT_SECRET: 'keydeck-test-secret',
  KEYDECK_OIDC_SCOPES: 'openid profile email groups',
  KEYDECK_OIDC_ROLE_MAP: 'keydeck-admins=admin,keydeck-operators=operator',
  KEYDECK_OIDC_LABEL: 'Test IdP',
  KEYDECK_PUBLIC_URL: baseURL,
};

// The specs seed keys with the AWS SDK, whose Node 20 support-window notice says nothing about them.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Debian's chromium (apt-get install chromium) stands in for Playwright's own download.
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The demo console, the second demo console and the aws-mode console each take one worker (see above).
  workers: Number(process.env.E2E_WORKERS ?? 2),
  // Two browsers and three servers share the cores: give a test twice Playwright's default.
  timeout: 60_000,
  reporter: 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'setup',
      testMatch: /auth\.setup\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      },
    },
    {
      name: 'chromium',
      testIgnore: [/aws-mode\.spec\.ts/, ON_SECOND_CONSOLE],
      dependencies: ['setup'],
      workers: 1,
      use: {
        ...devices['Desktop Chrome'],
        // Signed in as the demo admin; e2e/auth.spec.ts picks other states (or none) itself.
        storageState: authState('admin'),
        launchOptions: {
          executablePath: fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
    {
      name: 'chromium-b',
      testMatch: ON_SECOND_CONSOLE,
      dependencies: ['setup'],
      workers: 1,
      use: {
        ...devices['Desktop Chrome'],
        baseURL: BASE_URL_B,
        storageState: authState('admin-b'),
        launchOptions: {
          executablePath: fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      },
    },
    {
      name: 'aws-mode',
      testMatch: /aws-mode\.spec\.ts/,
      dependencies: ['setup'],
      workers: 1,
      use: {
        ...devices['Desktop Chrome'],
        baseURL: `http://127.0.0.1:${AWS_PORT}`,
        storageState: authState('aws-admin'),
        launchOptions: {
          executablePath: fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
  ],
  // Started in order, each once the one before answers: the demo console builds the app (unless
  // KEYDECK_E2E_SKIP_BUILD, as `npm test` builds first), the second demo console, the emulator and the
  // aws-mode console serve that build.
  webServer: [
    {
      // KEYDECK_E2E_SKIP_BUILD=1 reuses the last `next build` when only the specs changed.
      command: process.env.KEYDECK_E2E_SKIP_BUILD ? `npm run start -- -p ${PORT}` : `npm run build && npm run start -- -p ${PORT}`,
      url: baseURL,
      // next build takes 20 s on a quiet 2-core machine and minutes on a busy one.
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        KEYDECK_MODE: 'demo',
        KEYDECK_DATA_DIR: process.env.KEYDECK_E2E_DATA_DIR,
        // The specs make their own keys on a fresh data dir: no demo seed, so no history, and no live traffic.
        KEYDECK_DEMO_TRAFFIC: '0',
        KEYDECK_DEMO_HISTORY_EVENTS: '2000',
        // AWS's LookupEvents pace, as in aws mode: a sync lasts long enough for its progress bar to be seen.
        KEYDECK_DEMO_SYNC_RATE: '2',
        NEXT_TELEMETRY_DISABLED: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...OIDC_ENV,
      },
    },
    {
      // The second demo console serves the same build, once it is made, over the demo account and its
      // 90-day history (KEYDECK_DEMO_HISTORY_EVENTS events), seeded first: e2e/usage.spec.ts charts it.
      command: `npm run -s seed:demo && npm run start -- -p ${process.env.KEYDECK_E2E_PORT_B}`,
      url: `${BASE_URL_B}/icon.svg`,
      // The seed script compiles cold (tsx) before it writes: minutes on a busy machine.
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        KEYDECK_MODE: 'demo',
        KEYDECK_DATA_DIR: process.env.KEYDECK_E2E_DATA_DIR_B,
        // The seeded history stands still: no live traffic adds to the counts the specs check.
        KEYDECK_DEMO_TRAFFIC: '0',
        KEYDECK_DEMO_HISTORY_EVENTS: '2000',
        KEYDECK_DEMO_SYNC_RATE: '2',
        NEXT_TELEMETRY_DISABLED: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
    {
      // No --seed and no --traffic: the aws-mode spec makes its own keys.
      command: `npm run emulator -- --port ${process.env.KEYDECK_E2E_EMULATOR_PORT} --data-dir ${process.env.KEYDECK_E2E_EMULATOR_DIR} --quiet`,
      // Any HTTP answer means it listens (a bare GET is refused as KMS refuses it).
      url: EMULATOR_URL,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The first admin of an aws-mode console is made with the CLI; the password comes from the environment.
      command: `npm run -s users -- add ${AWS_ADMIN.name} --role admin && env -u KEYDECK_NEW_PASSWORD npm run start -- -p ${AWS_PORT}`,
      // Not `/`: that would load (and cache) the inventory before the spec has made its keys.
      url: `http://127.0.0.1:${AWS_PORT}/icon.svg`,
      // The users CLI runs first (tsx compiles it cold on a fresh clone): a minute was not always enough.
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        KEYDECK_MODE: 'aws',
        KEYDECK_DATA_DIR: path.join(process.env.KEYDECK_E2E_EMULATOR_DIR, 'console'),
        KEYDECK_REGIONS: 'us-east-1,eu-west-1',
        KEYDECK_ACCOUNTS: AWS_MODE_ACCOUNTS,
        AWS_ENDPOINT_URL: EMULATOR_URL,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
        // The spec creates keys straight in the emulator, as another tool would in AWS: a snapshot warmed
        // at start would hide them until it goes stale (60 s) or someone presses refresh.
        KEYDECK_INVENTORY_WARMUP: 'off',
        KEYDECK_NEW_PASSWORD: AWS_ADMIN.password,
        NEXT_TELEMETRY_DISABLED: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
    {
      command: `npx tsx scripts/oidc-test-provider.ts --port ${process.env.KEYDECK_E2E_OIDC_PORT} --redirect-uri ${baseURL}/api/auth/oidc/callback`,
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
