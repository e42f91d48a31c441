/**
 * Test helpers: the store on each backend. SQLite always, in a fresh temporary directory; PostgreSQL when
 * KEYDECK_TEST_DATABASE_URL names a server (CI starts Debian's postgresql and sets it), in a fresh
 * database created for the test and dropped after it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Backend, type Store } from './open';

export interface TestBackend {
  name: Backend;
  open(): Promise<Store>;
}

const postgresUrl = process.env.KEYDECK_TEST_DATABASE_URL?.trim() || undefined;

async function adminQuery(text: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export const testBackends: TestBackend[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-store-'));
      const store = await openStore({ dataDir: dir });
      return { ...store, close: async () => (await store.close(), fs.rmSync(dir, { recursive: true, force: true })) };
    },
  },
  ...(postgresUrl
    ? [
        {
          name: 'postgres' as const,
          async open() {
            const name = `keydeck_test_${crypto.randomBytes(6).toString('hex')}`;
            await adminQuery(`create database ${name}`);
            const url = new URL(postgresUrl);
            url.pathname = `/${name}`;
            const store = await openStore({ dataDir: os.tmpdir(), databaseUrl: url.toString() });
            return { ...store, close: async () => (await store.close(), await adminQuery(`drop database ${name}`)) };
          },
        },
      ]
    : []),
];

if (!postgresUrl && process.env.CI) {
  throw new Error('CI must run the store tests on PostgreSQL too: set KEYDECK_TEST_DATABASE_URL (.ci/run starts the server).');
}
