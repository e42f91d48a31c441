/**
 * A second console instance in miniature, for the multi-process test of log.test.ts: opens the SQLite
 * store in the data dir given, appends `count` entries, and exits. Run with `node --import tsx`.
 */
import { openStore } from '../store/open';
import { ANONYMOUS, appendAuditEntry } from './log';

const [dataDir, name, count] = process.argv.slice(2);
const store = await openStore({ dataDir });
try {
  for (let i = 0; i < Number(count); i++) {
    await appendAuditEntry(store.db, store.backend, {
      timeMs: Date.now(),
      actor: ANONYMOUS,
      ip: '',
      userAgent: name,
      account: '',
      region: '',
      keyId: '',
      action: 'SetKeyEnabled',
      params: { worker: name, i },
      redacted: [],
      outcome: 'ok',
      errorName: '',
      errorMessage: '',
      requestIds: [],
    });
  }
} finally {
  await store.close();
}
