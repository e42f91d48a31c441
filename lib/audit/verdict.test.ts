import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBackends } from '@/lib/store/test-support';
import { ANONYMOUS, appendAuditEntry, type AuditEntryInput } from './log';
import * as limits from './verdict';

const entry = (i: number): AuditEntryInput => ({
  timeMs: 1_795_000_000_000 + i,
  actor: ANONYMOUS,
  ip: '',
  userAgent: '',
  account: '111122223333',
  region: 'us-east-1',
  keyId: 'k',
  action: 'SetKeyEnabled',
  params: { i },
  redacted: [],
  outcome: 'ok',
  errorName: '',
  errorMessage: '',
  requestIds: [],
});

afterEach(() => {
  limits.forgetVerifiedPrefixes();
  vi.restoreAllMocks();
});

describe.each(testBackends)('the chain verdict on $name', (backend) => {
  it('walks a small log whole on each load, so an edit anywhere shows at once', async () => {
    const store = await backend.open();
    try {
      for (let i = 1; i <= 5; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      expect(await limits.auditChainStatus(store)).toMatchObject({ mode: 'full', verdict: { ok: true, entries: 5 } });
      await store.db.updateTable('audit_log').set({ outcome: 'denied' }).where('seq', '=', 2).execute();
      expect(await limits.auditChainStatus(store)).toMatchObject({ mode: 'full', verdict: { ok: false, brokenAt: 2, reason: 'edited' } });
    } finally {
      await store.close();
    }
  });

  it('past the limit, continues from the verified prefix; a full walk or a changed prefix finds deeper edits', async () => {
    const store = await backend.open();
    const small = { fullWalkLimit: 3 };
    try {
      for (let i = 1; i <= 6; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      expect(await limits.auditChainStatus(store, { ...small, now: 1000 })).toMatchObject({ mode: 'full', fullAt: 1000, verdict: { ok: true } });
      for (let i = 7; i <= 8; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      expect(await limits.auditChainStatus(store, { ...small, now: 2000 })).toMatchObject({ mode: 'incremental', fullAt: 1000, verdict: { ok: true, entries: 8 } });

      // An entry appended after the prefix and then edited: the incremental walk sees it.
      await appendAuditEntry(store.db, store.backend, entry(9));
      await store.db.updateTable('audit_log').set({ region: 'eu-west-1' }).where('seq', '=', 9).execute();
      expect(await limits.auditChainStatus(store, { ...small, now: 3000 })).toMatchObject({ mode: 'incremental', verdict: { ok: false, brokenAt: 9, reason: 'edited' } });
      await store.db.updateTable('audit_log').set({ region: 'us-east-1' }).where('seq', '=', 9).execute();

      // An edit deep inside the verified prefix: only a full walk finds it ("Verify all now").
      await store.db.updateTable('audit_log').set({ action: 'Nothing' }).where('seq', '=', 2).execute();
      expect(await limits.auditChainStatus(store, { ...small, now: 4000 })).toMatchObject({ mode: 'incremental', verdict: { ok: true } });
      expect(await limits.auditChainStatus(store, { ...small, full: true, now: 5000 })).toMatchObject({ mode: 'full', verdict: { ok: false, brokenAt: 2 } });
    } finally {
      await store.close();
    }
  });

  it('past the limit, a deleted entry before the verified point triggers a full walk that names it', async () => {
    const store = await backend.open();
    const small = { fullWalkLimit: 3 };
    try {
      for (let i = 1; i <= 6; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      await limits.auditChainStatus(store, { ...small, now: 1000 });
      await store.db.deleteFrom('audit_log').where('seq', '=', 4).execute();
      expect(await limits.auditChainStatus(store, { ...small, now: 2000 })).toMatchObject({ mode: 'full', verdict: { ok: false, brokenAt: 4, reason: 'deleted' } });
    } finally {
      await store.close();
    }
  });

  it('re-walks in the background once the last full walk is old', async () => {
    const store = await backend.open();
    const small = { fullWalkLimit: 3 };
    try {
      for (let i = 1; i <= 6; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      await limits.auditChainStatus(store, { ...small, now: 1000 });
      await store.db.updateTable('audit_log').set({ action: 'Nothing' }).where('seq', '=', 2).execute();
      const later = 1000 + limits.FULL_EVERY_MS + 1;
      expect(await limits.auditChainStatus(store, { ...small, now: later })).toMatchObject({ mode: 'incremental', verdict: { ok: true } });
      // The background walk forgets the broken prefix; the next load walks whole and reports the break.
      await vi.waitFor(async () => expect(await limits.auditChainStatus(store, { ...small, now: later + 1 })).toMatchObject({ verdict: { ok: false, brokenAt: 2 } }));
    } finally {
      await store.close();
    }
  });

  it('notices a log cut short or rewritten after it was verified, and keeps saying so', async () => {
    const store = await backend.open();
    try {
      for (let i = 1; i <= 6; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      expect(await limits.auditChainStatus(store)).toMatchObject({ verdict: { ok: true, entries: 6 } });
      // The last two entries removed: what is left is a perfectly consistent chain of four.
      await store.db.deleteFrom('audit_log').where('seq', '>', 4).execute();
      const cut = { verdict: { ok: false, brokenAt: 6, reason: 'deleted', message: expect.stringContaining('cut short') } };
      expect(await limits.auditChainStatus(store)).toMatchObject(cut);
      await appendAuditEntry(store.db, store.backend, entry(5));
      expect(await limits.auditChainStatus(store)).toMatchObject(cut);
    } finally {
      await store.close();
    }
  });
});
