import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  type CreateKeyCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '@/lib/emulator';
import { loadInventory, loadRows } from './inventory';

const scope = { account: '111122223333', region: 'us-east-1' };
const noWait = { sleep: async () => undefined };

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function client(): KMSClient {
  emulator = createEmulator();
  return emulator.kmsClient({ region: scope.region });
}

async function createKey(kms: KMSClient, input: CreateKeyCommandInput = {}, ...aliases: string[]): Promise<string> {
  const keyId = (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
  for (const alias of aliases) await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  return keyId;
}

type AnyCommand = { input: Record<string, unknown> };

/** Runs `before` ahead of every request the client sends; it may change the command or throw instead. */
function intercept(kms: KMSClient, before: (command: AnyCommand) => void | Promise<void>): void {
  // KMSClient.send is overloaded per command type; the wrapper only forwards, so one loose signature is enough.
  const send = kms.send.bind(kms) as (command: AnyCommand) => Promise<unknown>;
  (kms as unknown as { send: (command: AnyCommand) => Promise<unknown> }).send = async (command) => {
    await before(command);
    return send(command);
  };
}

const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('loadInventory', () => {
  it('fails with the first error and leaves no request it started unhandled (credentials refused for every call)', async () => {
    const kms = client();
    await createKey(kms);
    const denied = () => Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
    // ListKeys fails at once; ListAliases, already under way alongside, fails a moment later.
    intercept(kms, async (command) => {
      if ('Marker' in command.input || 'Limit' in command.input) await new Promise((resolve) => setTimeout(resolve, command.input.Limit === 100 ? 20 : 0));
      throw denied();
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(loadInventory(kms, scope, { retry: noWait })).rejects.toThrow('sts:AssumeRole');
      await new Promise((resolve) => setTimeout(resolve, 60));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('combines DescribeKey, aliases, tags and rotation status into one row per key', async () => {
    const kms = client();
    const rotating = await createKey(kms, { Description: 'card data', Tags: [{ TagKey: 'team', TagValue: 'payments' }] }, 'alias/pay/b', 'alias/pay/a');
    await kms.send(new EnableKeyRotationCommand({ KeyId: rotating, RotationPeriodInDays: 180 }));
    const plain = await createKey(kms);
    const rsa = await createKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, 'alias/signing');
    const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const disabled = await createKey(kms);
    await kms.send(new DisableKeyCommand({ KeyId: disabled }));
    const doomed = await createKey(kms);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));

    const inventory = await loadInventory(kms, scope);
    const byId = new Map(inventory.keys.map((row) => [row.id, row]));
    expect(inventory.keys).toHaveLength(6);
    expect(inventory.scope).toEqual(scope);

    const row = byId.get(rotating)!;
    expect(row).toMatchObject({
      aliases: ['alias/pay/a', 'alias/pay/b'],
      description: 'card data',
      state: 'Enabled',
      manager: 'CUSTOMER',
      type: 'Symmetric',
      spec: 'SYMMETRIC_DEFAULT',
      usage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      multiRegion: null,
      tags: { team: 'payments' },
      rotation: { enabled: true, periodDays: 180 },
    });
    expect(row.rotation!.nextAt).toBeGreaterThan(row.createdAt);
    expect(row.error).toBeUndefined();

    expect(byId.get(plain)!.rotation).toEqual({ enabled: false, periodDays: undefined });
    expect(byId.get(rsa)).toMatchObject({ type: 'Asymmetric', spec: 'RSA_2048', usage: 'SIGN_VERIFY', rotation: null, aliases: ['alias/signing'] });
    expect(byId.get(hmac)).toMatchObject({ type: 'HMAC', rotation: null });
    expect(byId.get(disabled)).toMatchObject({ state: 'Disabled', rotation: { enabled: false } });
    // GetKeyRotationStatus refuses keys pending deletion, so it is not asked.
    expect(byId.get(doomed)).toMatchObject({ state: 'PendingDeletion', rotation: null });
    expect(byId.get(doomed)!.deletionAt).toBeGreaterThan(Date.now());
    expect(byId.get(doomed)!.error).toBeUndefined();
  });

  it('lists AWS managed keys with their aws/ aliases, without tag or rotation calls', async () => {
    const kms = client();
    await createKey(kms);
    const created = emulator!.createAwsManagedKeys(scope.account, scope.region);
    const operations: string[] = [];
    intercept(kms, (command) => void operations.push(command.constructor.name));
    const inventory = await loadInventory(kms, scope);
    const managed = inventory.keys.filter((k) => k.manager === 'AWS');
    expect(managed).toHaveLength(created);
    expect(managed.map((k) => k.aliases[0])).toContain('alias/aws/s3');
    expect(managed.every((k) => k.rotation?.enabled === true && k.rotation.periodDays === 365)).toBe(true);
    // One customer managed key: its ListResourceTags and GetKeyRotationStatus are the only ones.
    expect(operations.filter((op) => op === 'ListResourceTagsCommand')).toHaveLength(1);
    expect(operations.filter((op) => op === 'GetKeyRotationStatusCommand')).toHaveLength(1);
  });

  it('follows ListKeys and ListAliases pages to the end', async () => {
    const kms = client();
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) ids.add(await createKey(kms, {}, `alias/paged/${i}`));
    let listKeyCalls = 0;
    let listAliasCalls = 0;
    intercept(kms, (command) => {
      // Tiny pages force the loader through several Marker round trips.
      if (command instanceof ListKeysCommand) {
        command.input.Limit = 2;
        listKeyCalls++;
      }
      if (command instanceof ListAliasesCommand) {
        command.input.Limit = 3;
        listAliasCalls++;
      }
    });
    const inventory = await loadInventory(kms, scope);
    expect(new Set(inventory.keys.map((k) => k.id))).toEqual(ids);
    expect(inventory.keys.every((k) => k.aliases.length === 1)).toBe(true);
    expect(listKeyCalls).toBe(4);
    expect(listAliasCalls).toBe(3);
  });

  it('retries a throttled call with backoff and still loads every key', async () => {
    const kms = client();
    for (let i = 0; i < 3; i++) await createKey(kms);
    let throttles = 3;
    intercept(kms, (command) => {
      if (command instanceof DescribeKeyCommand && throttles > 0) {
        throttles--;
        throw throttling();
      }
    });
    const delays: number[] = [];
    const inventory = await loadInventory(kms, scope, { retry: { ...noWait, random: () => 1, onRetry: (_e, _n, ms) => delays.push(ms) } });
    expect(inventory.keys).toHaveLength(3);
    expect(inventory.keys.every((k) => k.error === undefined)).toBe(true);
    expect(inventory.throttledRetries).toBe(3);
    expect(delays.every((ms) => ms > 0 && ms <= 5_000)).toBe(true);
  });

  it('gives up after the last attempt and reports ThrottlingException', async () => {
    const kms = client();
    await createKey(kms);
    let attempts = 0;
    intercept(kms, (command) => {
      if (command instanceof ListKeysCommand) {
        attempts++;
        throw throttling();
      }
    });
    await expect(loadInventory(kms, scope, { retry: { ...noWait, maxAttempts: 4 } })).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(attempts).toBe(4);
  });

  it('does not retry other errors; a key whose DescribeKey fails keeps its row with the error', async () => {
    const kms = client();
    const denied = await createKey(kms, {}, 'alias/secret');
    const fine = await createKey(kms);
    let deniedCalls = 0;
    intercept(kms, (command) => {
      if (command instanceof DescribeKeyCommand && command.input.KeyId === denied) {
        deniedCalls++;
        throw Object.assign(new Error('User is not authorized to perform: kms:DescribeKey'), { name: 'AccessDeniedException' });
      }
    });
    const inventory = await loadInventory(kms, scope, { retry: noWait });
    expect(deniedCalls).toBe(1);
    const row = inventory.keys.find((k) => k.id === denied)!;
    expect(row).toMatchObject({ aliases: ['alias/secret'], state: 'Unknown' });
    expect(row.error).toEqual({ operation: 'DescribeKey', name: 'AccessDeniedException', message: 'User is not authorized to perform: kms:DescribeKey' });
    expect(inventory.keys.find((k) => k.id === fine)!.error).toBeUndefined();
  });

  it('drops a key deleted between ListKeys and DescribeKey', async () => {
    const kms = client();
    const gone = await createKey(kms);
    await createKey(kms);
    intercept(kms, (command) => {
      if (command instanceof DescribeKeyCommand && command.input.KeyId === gone) {
        throw Object.assign(new Error(`Key '${gone}' does not exist`), { name: 'NotFoundException' });
      }
    });
    const inventory = await loadInventory(kms, scope);
    expect(inventory.keys.map((k) => k.id)).not.toContain(gone);
    expect(inventory.keys).toHaveLength(1);
  });

  it.each([4, 16])('never has more than %i per-key requests in flight (plus one page of each list)', async (concurrency) => {
    const kms = client();
    for (let i = 0; i < 40; i++) await createKey(kms);
    const PER_KEY = new Set(['DescribeKeyCommand', 'ListResourceTagsCommand', 'GetKeyRotationStatusCommand']);
    let inFlight = 0;
    let perKeyInFlight = 0;
    let peak = 0;
    let perKeyPeak = 0;
    const send = kms.send.bind(kms) as (command: AnyCommand) => Promise<unknown>;
    (kms as unknown as { send: (command: AnyCommand) => Promise<unknown> }).send = async (command) => {
      const perKey = PER_KEY.has(command.constructor.name);
      inFlight++;
      if (perKey) perKeyInFlight++;
      peak = Math.max(peak, inFlight);
      perKeyPeak = Math.max(perKeyPeak, perKeyInFlight);
      try {
        // A little latency, as a network would add, so requests overlap.
        await new Promise((resolve) => setTimeout(resolve, 2));
        return await send(command);
      } finally {
        inFlight--;
        if (perKey) perKeyInFlight--;
      }
    };
    const inventory = await loadInventory(kms, scope, { concurrency });
    expect(inventory.keys).toHaveLength(40);
    expect(perKeyPeak).toBe(concurrency);
    expect(peak).toBeLessThanOrEqual(concurrency + 2);
    // ListKeys + ListAliases, then DescribeKey, ListResourceTags and GetKeyRotationStatus per key.
    expect(inventory.requests).toBe(2 + 40 * 3);
    expect(inventory.requestsByOperation).toEqual({ ListKeys: 1, ListAliases: 1, DescribeKey: 40, ListResourceTags: 40, GetKeyRotationStatus: 40 });
  });

  it('asks GetKeyRotationStatus only of keys KMS can rotate automatically', async () => {
    const kms = client();
    await createKey(kms);
    await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await createKey(kms, { Origin: 'EXTERNAL' });
    const inventory = await loadInventory(kms, scope);
    expect(inventory.keys).toHaveLength(4);
    expect(inventory.requestsByOperation).toMatchObject({ DescribeKey: 4, ListResourceTags: 4, GetKeyRotationStatus: 1 });
    expect(inventory.keys.filter((k) => k.rotation !== null).map((k) => k.origin + ' ' + k.spec)).toEqual(['AWS_KMS SYMMETRIC_DEFAULT']);
  });

  it('loads rows while ListAliases is still paging, and joins the aliases at the end', async () => {
    const kms = client();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await createKey(kms, {}, `alias/pipe/${i}`));
    const log: string[] = [];
    intercept(kms, async (command) => {
      if (command instanceof ListAliasesCommand) {
        // Slow pages of two aliases: a network's latency, three round trips at least.
        command.input.Limit = 2;
        await new Promise((resolve) => setTimeout(resolve, 30));
        log.push('ListAliases');
      } else if (command instanceof DescribeKeyCommand) log.push('DescribeKey');
    });
    const inventory = await loadInventory(kms, scope);
    // Every DescribeKey went out before the last alias page came back.
    expect(log.lastIndexOf('DescribeKey')).toBeLessThan(log.lastIndexOf('ListAliases'));
    for (const [i, id] of ids.entries()) expect(inventory.keys.find((k) => k.id === id)?.aliases).toEqual([`alias/pipe/${i}`]);
  });

  it('paces an operation to the rate it is given', async () => {
    const kms = client();
    for (let i = 0; i < 11; i++) await createKey(kms);
    const sent: number[] = [];
    intercept(kms, (command) => {
      if (command instanceof DescribeKeyCommand) sent.push(performance.now());
    });
    const inventory = await loadInventory(kms, scope, { rates: { DescribeKey: 100 } });
    expect(inventory.keys).toHaveLength(11);
    // 11 requests at 100/s: 10 intervals of 10 ms (a timer may fire up to a millisecond early).
    expect(sent[sent.length - 1] - sent[0]).toBeGreaterThanOrEqual(90);
  });
});

describe('loadRows', () => {
  it('reads the current rows of a few keys, with their aliases, and null for a key that is gone', async () => {
    const kms = client();
    const a = await createKey(kms, { Description: 'a', Tags: [{ TagKey: 'team', TagValue: 'x' }] }, 'alias/rows/a', 'alias/rows/a2');
    await kms.send(new DisableKeyCommand({ KeyId: a }));
    const gone = '00000000-0000-4000-8000-000000000000';
    const rows = await loadRows(kms, [a, gone]);
    expect(rows.get(a)).toMatchObject({ id: a, state: 'Disabled', aliases: ['alias/rows/a', 'alias/rows/a2'], tags: { team: 'x' } });
    expect(rows.get(gone)).toBeNull();
  });
});
