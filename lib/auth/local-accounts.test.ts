import { describe, expect, it } from 'vitest';
import { testBackends } from '@/lib/store/test-support';
import {
  addLocalUser,
  authenticateLocal,
  hashPassword,
  LOCKOUT_SECONDS,
  listLocalUsers,
  passwordProblem,
  removeLocalUser,
  resetLocalPassword,
  setLocalUserRole,
  unlockLocalUser,
  verifyPassword,
} from './local-accounts';
import { createSession, readSession } from './sessions';

const T0 = 1_795_000_000;
const PASSWORD = 'correct horse battery';
const timeouts = { idleSeconds: 1800, absoluteSeconds: 43_200 };

describe('password hashes', () => {
  it('are scrypt with N=2^14, r=8, p=1 and a fresh salt, and verify only the right password', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'scrypt$1099511627776$8$1$c2FsdA$aGFzaA')).toBe(false);
    expect(await verifyPassword(PASSWORD, '')).toBe(false);
  });

  it('need at least 12 characters', () => {
    expect(passwordProblem('short-pass1')).toMatch(/at least 12/);
    expect(passwordProblem('twelve chars')).toBeNull();
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most/);
  });
});

describe.each(testBackends)('local accounts on $name', (backend) => {
  it('sign in with the right password only, with one answer for unknown users and wrong passwords', async () => {
    const store = await backend.open();
    try {
      const added = await addLocalUser(store.db, { name: 'Alice', role: 'operator', email: 'alice@example.com', accounts: ['prod'], password: PASSWORD }, T0);
      expect(added).toMatchObject({ provider: 'local', subject: 'alice', role: 'operator', accounts: ['prod'] });
      const row = await store.db.selectFrom('auth_users').select('password_hash').where('id', '=', added.id).executeTakeFirstOrThrow();
      expect(row.password_hash).not.toContain(PASSWORD);

      const ok = await authenticateLocal(store.db, 'ALICE ', PASSWORD, T0 + 1);
      expect(ok).toMatchObject({ ok: true, user: { id: added.id, role: 'operator', email: 'alice@example.com' } });
      expect(await authenticateLocal(store.db, 'alice', 'wrong password!!', T0 + 2)).toEqual({ ok: false, reason: 'invalid' });
      expect(await authenticateLocal(store.db, 'nobody', PASSWORD, T0 + 2)).toEqual({ ok: false, reason: 'invalid' });
      expect(await authenticateLocal(store.db, "x' or 1=1 --", PASSWORD, T0 + 2)).toEqual({ ok: false, reason: 'invalid' });
      await expect(addLocalUser(store.db, { name: 'alice', role: 'admin', password: PASSWORD }, T0)).rejects.toThrow(/already exists/);
      await expect(addLocalUser(store.db, { name: 'bob', role: 'admin', password: 'too short' }, T0)).rejects.toThrow(/at least 12/);
      await expect(addLocalUser(store.db, { name: '../bob', role: 'admin', password: PASSWORD }, T0)).rejects.toThrow(/user name/);
    } finally {
      await store.close();
    }
  });

  it('locks the account for 15 minutes after 5 failures in a row, and a success resets the count', async () => {
    const store = await backend.open();
    try {
      await addLocalUser(store.db, { name: 'bob', role: 'viewer', password: PASSWORD }, T0);
      // Four failures, then a success: the count starts again.
      for (let i = 0; i < 4; i++) expect(await authenticateLocal(store.db, 'bob', 'bad password 123', T0)).toEqual({ ok: false, reason: 'invalid' });
      expect((await authenticateLocal(store.db, 'bob', PASSWORD, T0)).ok).toBe(true);
      for (let i = 0; i < 4; i++) expect(await authenticateLocal(store.db, 'bob', 'bad password 123', T0)).toEqual({ ok: false, reason: 'invalid' });
      expect(await authenticateLocal(store.db, 'bob', 'bad password 123', T0 + 10)).toEqual({ ok: false, reason: 'locked', until: T0 + 10 + LOCKOUT_SECONDS });
      // Locked: even the right password is refused until the time is up.
      expect(await authenticateLocal(store.db, 'bob', PASSWORD, T0 + 11)).toEqual({ ok: false, reason: 'locked', until: T0 + 10 + LOCKOUT_SECONDS });
      expect((await authenticateLocal(store.db, 'bob', PASSWORD, T0 + 10 + LOCKOUT_SECONDS + 1)).ok).toBe(true);
      expect((await listLocalUsers(store.db))[0]).toMatchObject({ subject: 'bob', lockedUntil: 0, failedSignIns: 0 });

      for (let i = 0; i < 5; i++) await authenticateLocal(store.db, 'bob', 'bad password 123', T0 + 2000);
      expect((await authenticateLocal(store.db, 'bob', PASSWORD, T0 + 2001)).ok).toBe(false);
      await unlockLocalUser(store.db, 'bob', T0 + 2002);
      expect((await authenticateLocal(store.db, 'bob', PASSWORD, T0 + 2003)).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('changes role, resets a password (ending sessions) and removes a user', async () => {
    const store = await backend.open();
    try {
      const carol = await addLocalUser(store.db, { name: 'carol', role: 'viewer', password: PASSWORD }, T0);
      const token = await createSession(store.db, carol.id, { ip: '', userAgent: '' }, T0);
      await setLocalUserRole(store.db, 'carol', 'admin', T0 + 1);
      expect((await readSession(store.db, token, timeouts, T0 + 2))?.user.role).toBe('admin');
      await resetLocalPassword(store.db, 'carol', 'a brand new passphrase', T0 + 3);
      expect(await readSession(store.db, token, timeouts, T0 + 4)).toBeNull();
      expect((await authenticateLocal(store.db, 'carol', PASSWORD, T0 + 5)).ok).toBe(false);
      expect((await authenticateLocal(store.db, 'carol', 'a brand new passphrase', T0 + 5)).ok).toBe(true);
      await removeLocalUser(store.db, 'carol');
      expect(await listLocalUsers(store.db)).toEqual([]);
      await expect(removeLocalUser(store.db, 'carol')).rejects.toThrow(/No local user/);
    } finally {
      await store.close();
    }
  });
});
