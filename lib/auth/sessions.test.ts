import { describe, expect, it } from 'vitest';
import { testBackends } from '@/lib/store/test-support';
import { createSession, hashToken, pruneSessions, readSession, revokeAllSessions, revokeSession, upsertUser, type Identity } from './sessions';

const timeouts = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 };
const client = { ip: '203.0.113.7', userAgent: 'test-browser' };
const alice: Identity = { provider: 'local', subject: 'alice', name: 'Alice', email: 'alice@example.com', role: 'operator', accounts: null };
const T0 = 1_795_000_000;

describe.each(testBackends)('sessions on $name', (backend) => {
  it('signs a user in, keeps only the token hash, and follows the provider on the next sign-in', async () => {
    const store = await backend.open();
    try {
      const user = await upsertUser(store.db, alice, T0);
      expect(user).toMatchObject({ ...alice, id: expect.any(String) });
      const token = await createSession(store.db, user.id, client, T0);
      const rows = await store.db.selectFrom('auth_sessions').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toBe(hashToken(token));
      expect(JSON.stringify(rows)).not.toContain(token);

      const session = await readSession(store.db, token, timeouts, T0 + 5);
      expect(session).toMatchObject({ user: { id: user.id, name: 'Alice', role: 'operator', accounts: null }, ip: client.ip, userAgent: 'test-browser' });

      // Same identity again: same user id, new role and scoping.
      const again = await upsertUser(store.db, { ...alice, role: 'admin', accounts: ['prod', 'dev'] }, T0 + 10);
      expect(again.id).toBe(user.id);
      expect((await readSession(store.db, token, timeouts, T0 + 11))?.user).toMatchObject({ role: 'admin', accounts: ['prod', 'dev'] });
    } finally {
      await store.close();
    }
  });

  it('refuses unknown and malformed tokens, and ends sessions on idle and absolute timeouts', async () => {
    const store = await backend.open();
    try {
      const user = await upsertUser(store.db, alice, T0);
      const token = await createSession(store.db, user.id, client, T0);
      expect(await readSession(store.db, 'x'.repeat(43), timeouts, T0)).toBeNull();
      expect(await readSession(store.db, `${token}'--`, timeouts, T0)).toBeNull();

      // Active every 20 minutes: the idle timeout (30 min) never hits, the absolute one (12 h) does.
      let t = T0;
      while (t + 20 * 60 <= T0 + 12 * 3600) {
        t += 20 * 60;
        expect(await readSession(store.db, token, timeouts, t)).not.toBeNull();
      }
      expect(await readSession(store.db, token, timeouts, T0 + 12 * 3600 + 1)).toBeNull();

      const idle = await createSession(store.db, user.id, client, T0);
      expect(await readSession(store.db, idle, timeouts, T0 + 30 * 60)).not.toBeNull();
      expect(await readSession(store.db, idle, timeouts, T0 + 60 * 60 + 1)).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('signs out one session, or every session of the user', async () => {
    const store = await backend.open();
    try {
      const user = await upsertUser(store.db, alice, T0);
      const bob = await upsertUser(store.db, { ...alice, subject: 'bob', name: 'Bob' }, T0);
      const [a1, a2, a3] = await Promise.all([1, 2, 3].map(() => createSession(store.db, user.id, client, T0)));
      const b1 = await createSession(store.db, bob.id, client, T0);

      await revokeSession(store.db, a1, T0 + 1);
      expect(await readSession(store.db, a1, timeouts, T0 + 2)).toBeNull();
      expect(await readSession(store.db, a2, timeouts, T0 + 2)).not.toBeNull();

      expect(await revokeAllSessions(store.db, user.id, T0 + 3)).toBe(2);
      for (const token of [a2, a3]) expect(await readSession(store.db, token, timeouts, T0 + 4)).toBeNull();
      expect(await readSession(store.db, b1, timeouts, T0 + 4)).not.toBeNull();

      expect(await pruneSessions(store.db, timeouts, T0 + 5)).toBe(3);
      expect(await store.db.selectFrom('auth_sessions').select('user_id').execute()).toEqual([{ user_id: bob.id }]);
    } finally {
      await store.close();
    }
  });
});
