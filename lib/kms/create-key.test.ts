import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, ListKeysCommand, ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '@/lib/emulator';
import { USERS_SID, type ConsoleKeyUsage } from '@/lib/policy/default-view';
import {
  aliasProblem,
  algorithmsOf,
  buildCreateKeyInput,
  configurationProblems,
  createKeyWithAlias,
  fullAlias,
  INITIAL_DRAFT,
  labelProblems,
  parsePrincipal,
  reconcileConfiguration,
  specsFor,
  supportsExternalOrigin,
  tagProblems,
  usagesOfSpec,
  usagesOfType,
  WIZARD_KEY_SPECS,
  type KeyDraft,
} from './create-key';

const ACCOUNT = '111122223333';
const ALL_USAGES: ConsoleKeyUsage[] = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'];

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function kmsClient(): KMSClient {
  emulator = createEmulator();
  return emulator.kmsClient({ region: 'us-east-1' });
}

const draft = (change: Partial<KeyDraft> = {}): KeyDraft => ({ ...INITIAL_DRAFT, alias: 'orders/db', ...change });

describe('key specs, usages and algorithms', () => {
  it('match what KMS accepts and reports for every spec and usage', async () => {
    const kms = kmsClient();
    for (const spec of WIZARD_KEY_SPECS) {
      for (const usage of ALL_USAGES) {
        const allowed = (usagesOfSpec(spec) as readonly string[]).includes(usage);
        const attempt = kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
        if (!allowed) {
          await expect(attempt, `${spec} ${usage}`).rejects.toMatchObject({ name: 'ValidationException' });
          continue;
        }
        const metadata = (await attempt).KeyMetadata!;
        const reported = [...(metadata.EncryptionAlgorithms ?? []), ...(metadata.SigningAlgorithms ?? []), ...(metadata.MacAlgorithms ?? []), ...(metadata.KeyAgreementAlgorithms ?? [])];
        expect(reported.sort(), `${spec} ${usage}`).toEqual(algorithmsOf(spec, usage).sort());
      }
    }
  });

  it('offers per type only the usages and specs that go together', () => {
    expect(usagesOfType('symmetric')).toEqual(['ENCRYPT_DECRYPT']);
    expect(usagesOfType('hmac')).toEqual(['GENERATE_VERIFY_MAC']);
    expect(usagesOfType('asymmetric')).toEqual(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT']);
    expect(specsFor('asymmetric', 'ENCRYPT_DECRYPT')).toEqual(['RSA_2048', 'RSA_3072', 'RSA_4096']);
    expect(specsFor('asymmetric', 'KEY_AGREEMENT')).toEqual(['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521']);
    expect(specsFor('asymmetric', 'SIGN_VERIFY')).toContain('ML_DSA_65');
    expect(specsFor('asymmetric', 'SIGN_VERIFY')).toContain('ECC_NIST_EDWARDS25519');
    expect(specsFor('hmac', 'GENERATE_VERIFY_MAC')).toEqual(['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512']);
  });

  it('moves usage, spec and origin to valid choices when the type changes', () => {
    const hmac = reconcileConfiguration({ ...INITIAL_DRAFT, keyType: 'hmac' });
    expect([hmac.keyUsage, hmac.keySpec]).toEqual(['GENERATE_VERIFY_MAC', 'HMAC_224']);
    const agreement = reconcileConfiguration({ ...INITIAL_DRAFT, keyType: 'asymmetric', keyUsage: 'KEY_AGREEMENT', keySpec: 'RSA_2048' });
    expect(agreement.keySpec).toBe('ECC_NIST_P256');
    const mldsa = reconcileConfiguration({ ...INITIAL_DRAFT, keyType: 'asymmetric', keyUsage: 'SIGN_VERIFY', keySpec: 'ML_DSA_44', origin: 'EXTERNAL' });
    expect(mldsa.origin).toBe('AWS_KMS');
    expect(configurationProblems({ ...INITIAL_DRAFT, keyType: 'asymmetric', keyUsage: 'SIGN_VERIFY', keySpec: 'ML_DSA_44', origin: 'EXTERNAL' }).origin).toMatch(/ML-DSA/);
    expect(configurationProblems({ ...INITIAL_DRAFT, keyType: 'asymmetric', keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'ECC_NIST_P256' }).keyUsage).toMatch(/cannot be used/);
  });

  it('allows imported material for every spec KMS can import, which is all but ML-DSA', async () => {
    const kms = kmsClient();
    for (const spec of WIZARD_KEY_SPECS) {
      const attempt = kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usagesOfSpec(spec)[0], Origin: 'EXTERNAL' }));
      if (supportsExternalOrigin(spec)) expect((await attempt).KeyMetadata?.KeyState, spec).toBe('PendingImport');
      else await expect(attempt, spec).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    }
  });
});

describe('label validation', () => {
  it('accepts an alias typed with or without alias/', () => {
    expect(fullAlias('orders/db')).toBe('alias/orders/db');
    expect(fullAlias(' alias/orders/db ')).toBe('alias/orders/db');
    expect(aliasProblem('alias/orders/db_2-x')).toBeNull();
    expect(aliasProblem(`alias/${'a'.repeat(250)}`)).toBeNull();
  });

  it('refuses aliases AWS refuses', () => {
    expect(aliasProblem('alias/')).toMatch(/Enter an alias/);
    expect(aliasProblem('alias/has space')).toMatch(/letters, digits/);
    expect(aliasProblem('alias/colon:no')).toMatch(/letters, digits/);
    expect(aliasProblem(`alias/${'a'.repeat(251)}`)).toMatch(/at most 250/);
    expect(aliasProblem('alias/aws/mine')).toMatch(/reserved/);
    expect(aliasProblem('orders')).toMatch(/begins with alias\//);
  });

  it('limits the description to 8,192 characters', () => {
    expect(labelProblems(draft({ description: 'x'.repeat(8192) })).description).toBeUndefined();
    expect(labelProblems(draft({ description: 'x'.repeat(8193) })).description).toMatch(/at most 8,192/);
  });

  it('checks tags: key length, value length, aws: prefix, duplicates, count', () => {
    const problems = tagProblems([
      { key: 'team', value: 'orders' },
      { key: '', value: 'x' },
      { key: 'aws:owner', value: 'me' },
      { key: 'AWS:Owner', value: 'me' },
      { key: 'team', value: 'other' },
      { key: 'k'.repeat(129), value: '' },
      { key: 'long', value: 'v'.repeat(257) },
      { key: 'k'.repeat(128), value: 'v'.repeat(256) },
    ]);
    expect(problems.rows[0]).toBeUndefined();
    expect(problems.rows[1].key).toMatch(/Enter a tag key/);
    expect(problems.rows[2].key).toMatch(/aws: are reserved/);
    expect(problems.rows[3].key).toMatch(/aws: are reserved/);
    expect(problems.rows[4].key).toMatch(/unique/);
    expect(problems.rows[5].key).toMatch(/at most 128/);
    expect(problems.rows[6].value).toMatch(/at most 256/);
    expect(problems.rows[7]).toBeUndefined();
    expect(problems.list).toBeUndefined();
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' }));
    expect(tagProblems(many).list).toMatch(/at most 50/);
    expect(tagProblems(many.slice(0, 50)).list).toBeUndefined();
  });
});

describe('parsePrincipal', () => {
  it('turns an account id into its root and accepts user, role, root and session ARNs', () => {
    expect(parsePrincipal(' 444455556666 ')).toEqual({ ok: true, arn: 'arn:aws:iam::444455556666:root' });
    for (const arn of [
      'arn:aws:iam::444455556666:root',
      'arn:aws:iam::111122223333:user/alice',
      'arn:aws:iam::111122223333:role/service-role/app.runner',
      'arn:aws-us-gov:iam::111122223333:role/admin',
      'arn:aws:sts::111122223333:assumed-role/app/session-1',
    ]) {
      expect(parsePrincipal(arn)).toEqual({ ok: true, arn });
    }
  });

  it('refuses what is neither', () => {
    expect(parsePrincipal('')).toMatchObject({ ok: false, message: /Enter/ });
    expect(parsePrincipal('12345')).toMatchObject({ ok: false, message: /12 digits/ });
    expect(parsePrincipal('arn:aws:iam::1234:root')).toMatchObject({ ok: false });
    expect(parsePrincipal('arn:aws:iam::111122223333:group/admins')).toMatchObject({ ok: false, message: /IAM user or an IAM role/ });
    expect(parsePrincipal('arn:aws:iam::111122223333:role/')).toMatchObject({ ok: false, message: /role name/ });
    expect(parsePrincipal('arn:aws:iam::111122223333:user/has space')).toMatchObject({ ok: false });
    expect(parsePrincipal('arn:aws:sts::111122223333:federated-user/bob')).toMatchObject({ ok: false, message: /assumed-role/ });
    expect(parsePrincipal('alice')).toMatchObject({ ok: false });
  });
});

describe('buildCreateKeyInput', () => {
  const app = `arn:aws:iam::${ACCOUNT}:role/app`;
  const admin = `arn:aws:iam::${ACCOUNT}:user/admin`;

  it('builds CreateKey with the console policy, tags, description, origin and Regionality', () => {
    const result = buildCreateKeyInput(
      draft({ description: 'Orders', tags: [{ key: 'team', value: 'orders' }], administrators: [admin], users: [app, 'arn:aws:iam::444455556666:root'], multiRegion: true, origin: 'EXTERNAL' }),
      ACCOUNT,
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.alias).toBe('alias/orders/db');
    expect(result.input).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'EXTERNAL', MultiRegion: true, Description: 'Orders', Tags: [{ TagKey: 'team', TagValue: 'orders' }] });
    const policy = JSON.parse(result.input.Policy!) as { Statement: { Sid: string; Principal: { AWS: string | string[] } }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['Enable IAM User Permissions', 'Allow access for Key Administrators', 'Allow use of the key', 'Allow attachment of persistent resources']);
    expect(policy.Statement.find((s) => s.Sid === USERS_SID)?.Principal.AWS).toEqual([app, 'arn:aws:iam::444455556666:root']);
  });

  it('leaves out the grants statement for a signing key and optional members when empty', () => {
    const result = buildCreateKeyInput(draft({ keyType: 'asymmetric', keyUsage: 'SIGN_VERIFY', keySpec: 'ECC_NIST_P256', users: [app] }), ACCOUNT);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.input.Policy).not.toContain('persistent resources');
    expect(result.input).not.toHaveProperty('Tags');
    expect(result.input).not.toHaveProperty('Description');
    expect(result.input).not.toHaveProperty('MultiRegion');
  });

  it('lists every problem instead of building a request', () => {
    const result = buildCreateKeyInput(draft({ alias: 'aws/x', tags: [{ key: 'aws:x', value: '' }], users: ['nobody'] }), ACCOUNT);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems.join('\n')).toMatch(/Alias: .*reserved[\s\S]*Tag 1: .*aws:[\s\S]*Key users: nobody/);
  });
});

describe('createKeyWithAlias', () => {
  it('creates the key with its policy, tags and alias in KMS', async () => {
    const kms = kmsClient();
    const app = `arn:aws:iam::${ACCOUNT}:role/app`;
    const built = buildCreateKeyInput(draft({ description: 'Orders', tags: [{ key: 'team', value: 'orders' }], users: [app] }), ACCOUNT);
    if (!built.ok) throw new Error(built.problems.join('\n'));
    const created = await createKeyWithAlias(kms, built.input, built.alias);
    expect(created).toMatchObject({ alias: 'alias/orders/db', keyState: 'Enabled' });
    expect(created.aliasError).toBeUndefined();
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/orders/db' }));
    expect(described.KeyMetadata).toMatchObject({ KeyId: created.keyId, Arn: created.arn, Description: 'Orders' });
    const policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: created.keyId }))).Policy!;
    expect(policy).toContain(app);
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: created.keyId }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'orders' }]);
  });

  it('creates a multi-Region primary and an imported-material key as asked', async () => {
    const kms = kmsClient();
    const built = buildCreateKeyInput(draft({ multiRegion: true, origin: 'EXTERNAL' }), ACCOUNT);
    if (!built.ok) throw new Error(built.problems.join('\n'));
    const created = await createKeyWithAlias(kms, built.input, built.alias);
    expect(created.keyId).toMatch(/^mrk-/);
    expect(created.keyState).toBe('PendingImport');
    const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: created.keyId }))).KeyMetadata!;
    expect(metadata).toMatchObject({ Origin: 'EXTERNAL', MultiRegion: true });
  });

  it('refuses a taken alias before creating any key', async () => {
    const kms = kmsClient();
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders/db', TargetKeyId: other }));
    const built = buildCreateKeyInput(draft(), ACCOUNT);
    if (!built.ok) throw new Error(built.problems.join('\n'));
    await expect(createKeyWithAlias(kms, built.input, built.alias)).rejects.toMatchObject({ name: 'AlreadyExistsException', message: expect.stringContaining('alias/orders/db') });
    expect((await kms.send(new ListKeysCommand({}))).Keys).toHaveLength(1);
  });

  it('returns the key with the alias error when CreateAlias fails after CreateKey', async () => {
    const kms = kmsClient();
    const rival = emulator!.kmsClient({ region: 'us-east-1' });
    const built = buildCreateKeyInput(draft(), ACCOUNT);
    if (!built.ok) throw new Error(built.problems.join('\n'));
    // Someone else takes the alias between the check and CreateAlias.
    const send = kms.send.bind(kms) as (command: unknown) => Promise<unknown>;
    (kms as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command) => {
      if (command instanceof CreateAliasCommand) {
        const theirs = (await rival.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
        await rival.send(new CreateAliasCommand({ AliasName: 'alias/orders/db', TargetKeyId: theirs }));
      }
      return send(command);
    };
    const created = await createKeyWithAlias(kms, built.input, built.alias);
    expect(created.alias).toBeUndefined();
    expect(created.aliasError).toMatchObject({ name: 'AlreadyExistsException' });
    expect((await kms.send(new DescribeKeyCommand({ KeyId: created.keyId }))).KeyMetadata?.KeyState).toBe('Enabled');
  });
});
