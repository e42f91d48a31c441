import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, ListAliasesCommand, ListGrantsCommand, ListKeysCommand, paginateListKeys, type KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { DEMO_REGIONS, seedDemoAccount } from './demo-account';
import { demoIdentity, PARTNER_ACCOUNT } from './identities';
import { KEY_SPECS } from './key-specs';
import { DEMO_KEYS } from './seed';
import { testEmulator } from './test-support';

async function keyCount(kms: KMSClient): Promise<number> {
  let n = 0;
  for await (const page of paginateListKeys({ client: kms }, {})) n += page.Keys?.length ?? 0;
  return n;
}

const as = (emulator: ReturnType<typeof testEmulator>['emulator'], arnPart: string, region = 'us-east-1') => {
  const identity = demoIdentity(arnPart);
  return emulator.kmsClient({ region, accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey });
};

describe('the demo account', () => {
  it('fills three Regions with some seventy keys, once', async () => {
    const { emulator } = testEmulator();
    const created = await seedDemoAccount(emulator);
    const counts = await Promise.all(DEMO_REGIONS.map((region) => keyCount(emulator.kmsClient({ region }))));
    // The multi-Region replica is a key of its own Region, not counted as created.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(created + 1);
    expect(created).toBeGreaterThanOrEqual(55);
    expect(counts.every((n) => n >= 15)).toBe(true);
    expect(await seedDemoAccount(emulator)).toBe(0);
    // A Region with a key already is left alone.
    const fresh = testEmulator().emulator;
    await fresh.kmsClient({ region: 'eu-west-2' }).send(new CreateKeyCommand({}));
    await seedDemoAccount(fresh);
    expect(await keyCount(fresh.kmsClient({ region: 'eu-west-2' }))).toBe(1);
  }, 120_000);

  it('enforces the custom policies it writes, shares a key with the partner account, and replicates and imports keys', async () => {
    const { emulator } = testEmulator();
    await seedDemoAccount(emulator);
    const admin = emulator.kmsClient();
    const home = (await admin.send(new ListAliasesCommand({ Limit: 100 }))).Aliases!.map((a) => a.AliasName);
    expect(home).toEqual(expect.arrayContaining([...DEMO_KEYS.map((d) => d.alias), 'alias/hr/records', 'alias/shared/partner-exchange', 'alias/global/orders', 'alias/byok/ledger']));

    // HR records: the app may encrypt only with the HR context; the auditor is denied even Decrypt by an explicit Deny.
    const app = as(emulator, 'assumed-role/app');
    await expect(app.send(new EncryptCommand({ KeyId: 'alias/hr/records', Plaintext: Buffer.from('salary') }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId: 'alias/hr/records', Plaintext: Buffer.from('salary'), EncryptionContext: { department: 'hr' } }));
    await expect(as(emulator, 'user/auditor').send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { department: 'hr' } }))).rejects.toMatchObject({ name: 'AccessDeniedException' });

    // The partner account uses the shared key by its ARN, with a grant on record.
    const shared = (await admin.send(new DescribeKeyCommand({ KeyId: 'alias/shared/partner-exchange' }))).KeyMetadata!;
    const partner = emulator.kmsClient({ accessKeyId: 'partner', secretAccessKey: 'partner' });
    const sealed = await partner.send(new EncryptCommand({ KeyId: shared.Arn, Plaintext: Buffer.from('invoice') }));
    expect(sealed.KeyId).toBe(shared.Arn);
    const grants = (await admin.send(new ListGrantsCommand({ KeyId: shared.KeyId }))).Grants!;
    expect(grants.map((g) => g.GranteePrincipal)).toEqual([`arn:aws:iam::${PARTNER_ACCOUNT}:user/admin`]);

    // The multi-Region key decrypts in its replica's Region under the same alias.
    const orders = await admin.send(new EncryptCommand({ KeyId: 'alias/global/orders', Plaintext: Buffer.from('order 42') }));
    const replica = emulator.kmsClient({ region: 'eu-west-1' });
    const opened = await replica.send(new DecryptCommand({ CiphertextBlob: orders.CiphertextBlob }));
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('order 42');
    expect((await replica.send(new DescribeKeyCommand({ KeyId: 'alias/global/orders' }))).KeyMetadata!.MultiRegionConfiguration?.MultiRegionKeyType).toBe('REPLICA');

    // Imported material works; the second BYOK key waits for its material.
    expect((await admin.send(new DescribeKeyCommand({ KeyId: 'alias/byok/ledger' }))).KeyMetadata).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'Enabled' });
    await admin.send(new EncryptCommand({ KeyId: 'alias/byok/ledger', Plaintext: Buffer.from('entry') }));
    expect((await admin.send(new DescribeKeyCommand({ KeyId: 'alias/byok/awaiting-material' }))).KeyMetadata!.KeyState).toBe('PendingImport');
    expect((await emulator.kmsClient({ region: 'eu-west-2' }).send(new ListKeysCommand({}))).Keys!.length).toBeGreaterThanOrEqual(15);
  }, 120_000);

  it('holds a key of every KeySpec AWS offers outside China, more than one grant, and the aliases the issue names', async () => {
    const { emulator } = testEmulator();
    await seedDemoAccount(emulator);
    const specs = new Set<string>();
    let grants = 0;
    for (const region of DEMO_REGIONS) {
      const kms = emulator.kmsClient({ region });
      for await (const page of paginateListKeys({ client: kms }, {})) {
        for (const { KeyId } of page.Keys ?? []) {
          specs.add((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.KeySpec!);
          grants += (await kms.send(new ListGrantsCommand({ KeyId }))).Grants?.length ?? 0;
        }
      }
    }
    expect([...specs].sort()).toEqual(KEY_SPECS.filter((spec) => spec !== 'SM2').sort());
    expect(grants).toBeGreaterThan(1);

    const admin = emulator.kmsClient();
    // alias/payments is a second name of the cardholder-data key (so kms:ResourceAliases has two values); alias/tutorial is the tutorials' key.
    const card = (await admin.send(new DescribeKeyCommand({ KeyId: 'alias/payments/card-data' }))).KeyMetadata!;
    expect((await admin.send(new DescribeKeyCommand({ KeyId: 'alias/payments' }))).KeyMetadata!.KeyId).toBe(card.KeyId);
    expect((await admin.send(new DescribeKeyCommand({ KeyId: 'alias/tutorial' }))).KeyMetadata).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled' });

    // The checkout grant: the app role may use the card key only with the checkout encryption context.
    const { Grants } = await admin.send(new ListGrantsCommand({ KeyId: card.KeyId }));
    expect(Grants).toEqual([
      expect.objectContaining({ Name: 'checkout-service', GranteePrincipal: 'arn:aws:iam::111122223333:role/app', Constraints: { EncryptionContextSubset: { app: 'checkout' } } }),
    ]);
  }, 120_000);
});
