/**
 * The demo account beyond the first dozen keys: a fleet of keys across three Regions, a key of every other
 * KeySpec, custom key policies (administrators and users, an encryption-context condition, an explicit Deny),
 * a key shared with the partner account by policy and by grant, a grant with an encryption-context constraint,
 * a multi-Region key with a replica, and imported key material.
 * Made through the KMS API like everything else in the seed, and the same on every run (no randomness in
 * what is created; only key material is random, as it must be).
 */
import crypto from 'node:crypto';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  ListKeysCommand,
  ReplicateKeyCommand,
  type CreateKeyCommandInput,
  type KMSClient,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { buildConsolePolicy, type ConsoleKeyUsage } from '../policy/default-view';
import { DEMO_ACCOUNT, PARTNER_ACCOUNT } from './identities';
import type { Emulator } from './index';
import { scheduleDemoDeletions, seedDemoKeys } from './seed';
import { seedDemoHistory } from './history';

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1', 'eu-west-2'] as const;

const role = (name: string) => `arn:aws:iam::${DEMO_ACCOUNT}:role/${name}`;
const SECURITY_ADMIN = role('security-admin');
const APP = role('app');

const tags = (team: string, env: string, extra: Record<string, string> = {}) =>
  Object.entries({ team, env, ...extra }).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));

/** The console-style policy: security-admin administers, the app role uses. */
function consolePolicy(keyUsage: ConsoleKeyUsage, keySpec: string, users: string[] = [APP]): string {
  return JSON.stringify(buildConsolePolicy({ account: DEMO_ACCOUNT, administrators: [SECURITY_ADMIN], users, allowGrantsForAwsResources: true, keyUsage, keySpec }));
}

/**
 * HR records: usable only with the department's encryption context — a Deny, because the root statement lets
 * IAM policies allow use too — and the auditor is explicitly denied Decrypt.
 */
const HR_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'hr-records',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow use with the HR encryption context',
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:department': 'hr' } },
    },
    {
      Sid: 'Require the HR encryption context',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:EncryptionContext:department': 'hr' } },
    },
    { Sid: 'Deny the auditor plaintext', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:user/auditor` }, Action: 'kms:Decrypt', Resource: '*' },
  ],
});

/** Shared with the partner account: its principals may use the key, as its own IAM policies allow. */
const PARTNER_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'partner-exchange',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow the partner account to use the key',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    },
  ],
});

interface FleetKey {
  alias: string;
  description: string;
  spec: KeySpec;
  usage: KeyUsageType;
  team: string;
  env: string;
  rotationDays?: number;
  disabled?: boolean;
}

const TEAMS = ['payments', 'platform', 'data', 'identity', 'analytics', 'mobile', 'search', 'support'] as const;
const PURPOSES = ['db-encryption', 'backups', 'queue-messages', 'object-storage', 'session-cache', 'exports'] as const;

/**
 * Sixteen keys for a Region: mostly symmetric keys with a mix of rotation periods, a few signing and
 * HMAC keys, one disabled staging key. The list depends only on the Region's position.
 */
function fleet(regionIndex: number): FleetKey[] {
  const keys: FleetKey[] = [];
  for (let i = 0; i < 16; i++) {
    const team = TEAMS[(i + regionIndex * 3) % TEAMS.length];
    const env = i % 4 === 3 ? 'staging' : 'prod';
    const purpose = PURPOSES[(i + regionIndex) % PURPOSES.length];
    const alias = `alias/${team}/${purpose}-${env}`;
    if (i % 8 === 5) {
      keys.push({ alias: `alias/${team}/signing-${env}`, description: `Signs ${team} artifacts`, spec: i % 16 === 5 ? 'ECC_NIST_P256' : 'RSA_2048', usage: 'SIGN_VERIFY', team, env });
    } else if (i % 8 === 7) {
      keys.push({ alias: `alias/${team}/hmac-${env}`, description: `Authenticates ${team} messages`, spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC', team, env });
    } else {
      const rotationDays = i % 3 === 0 ? 365 : i % 3 === 1 ? 180 : undefined;
      keys.push({ alias, description: `${team}: ${purpose.replace('-', ' ')} (${env})`, spec: 'SYMMETRIC_DEFAULT', usage: 'ENCRYPT_DECRYPT', team, env, rotationDays, disabled: i === 11 });
    }
  }
  // Aliases are unique per Region: the eight-team cycle gives a team a second signing or HMAC key.
  return keys.map((key, index) => (keys.findIndex((other) => other.alias === key.alias) === index ? key : { ...key, alias: `${key.alias}-2` }));
}

async function isEmpty(kms: KMSClient): Promise<boolean> {
  const { Keys } = await kms.send(new ListKeysCommand({ Limit: 1 }));
  return !Keys || Keys.length === 0;
}

async function create(kms: KMSClient, alias: string, input: CreateKeyCommandInput): Promise<{ KeyId: string; Arn: string }> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand(input));
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata!.KeyId }));
  return { KeyId: KeyMetadata!.KeyId!, Arn: KeyMetadata!.Arn! };
}

async function seedFleet(kms: KMSClient, regionIndex: number): Promise<number> {
  const keys = fleet(regionIndex);
  for (const key of keys) {
    const { KeyId } = await create(kms, key.alias, {
      KeySpec: key.spec,
      KeyUsage: key.usage,
      Description: key.description,
      Tags: tags(key.team, key.env, { 'cost-center': `cc-${100 + TEAMS.indexOf(key.team as (typeof TEAMS)[number])}` }),
      Policy: consolePolicy(key.usage as ConsoleKeyUsage, key.spec),
    });
    if (key.rotationDays) await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: key.rotationDays }));
    if (key.disabled) await kms.send(new DisableKeyCommand({ KeyId }));
  }
  return keys.length;
}

/** An EXTERNAL key with 256 bits of material made here and imported, wrapped with RSAES_OAEP_SHA_256. */
async function importedKey(kms: KMSClient): Promise<void> {
  const { KeyId } = await create(kms, 'alias/byok/ledger', {
    Origin: 'EXTERNAL',
    Description: 'Ledger encryption with key material from the on-premises HSM (BYOK)',
    Tags: tags('finance', 'prod', { 'material-source': 'hsm' }),
  });
  const { ImportToken, PublicKey } = await kms.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  const wrapped = crypto.publicEncrypt(
    { key: crypto.createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    crypto.randomBytes(32),
  );
  await kms.send(new ImportKeyMaterialCommand({ KeyId, ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
  // A second BYOK key still waiting for its material: PendingImport until someone imports it.
  await create(kms, 'alias/byok/awaiting-material', { Origin: 'EXTERNAL', Description: 'Waiting for key material from the HSM team', Tags: tags('finance', 'staging') });
}

/**
 * The key specs the first dozen keys and the fleets leave out, so the account holds a key of every KeySpec AWS
 * offers outside China (SM2 is China-only), each a plausible use of its spec.
 */
const SPEC_GALLERY: { alias: string; description: string; spec: KeySpec; usage: KeyUsageType; team: string; env: string }[] = [
  { alias: 'alias/archive/rsa-4096', description: 'Archives sealed to the public key for 10-year retention (RSA-4096)', spec: 'RSA_4096', usage: 'ENCRYPT_DECRYPT', team: 'data', env: 'prod' },
  { alias: 'alias/gov/p521-signing', description: 'Signs documents for the government portal (ECDSA P-521)', spec: 'ECC_NIST_P521', usage: 'SIGN_VERIFY', team: 'identity', env: 'prod' },
  { alias: 'alias/ssh/ed25519-ca', description: 'Signs SSH user certificates (Ed25519)', spec: 'ECC_NIST_EDWARDS25519', usage: 'SIGN_VERIFY', team: 'platform', env: 'prod' },
  { alias: 'alias/cookies/hmac-224', description: 'Tags session cookies (HMAC-SHA-224)', spec: 'HMAC_224', usage: 'GENERATE_VERIFY_MAC', team: 'identity', env: 'prod' },
  { alias: 'alias/api/hmac-384', description: 'Signs partner API requests (HMAC-SHA-384)', spec: 'HMAC_384', usage: 'GENERATE_VERIFY_MAC', team: 'partners', env: 'prod' },
  { alias: 'alias/audit/hmac-512', description: 'Chains audit log entries (HMAC-SHA-512)', spec: 'HMAC_512', usage: 'GENERATE_VERIFY_MAC', team: 'security', env: 'prod' },
  { alias: 'alias/firmware/pq-signing-44', description: 'Post-quantum signing of sensor updates (ML-DSA-44)', spec: 'ML_DSA_44', usage: 'SIGN_VERIFY', team: 'iot', env: 'prod' },
  { alias: 'alias/firmware/pq-root', description: 'Post-quantum root of the firmware chain (ML-DSA-87)', spec: 'ML_DSA_87', usage: 'SIGN_VERIFY', team: 'iot', env: 'prod' },
];

/**
 * The named aliases and a second grant: alias/payments names the cardholder-data key too, whose grant lets
 * the checkout service (the app role) use it only with its encryption context; alias/tutorial is a plain key with
 * the default key policy for the tutorials and the AWS CLI examples.
 */
async function seedGalleryAndTutorial(kms: KMSClient): Promise<number> {
  for (const key of SPEC_GALLERY) {
    await create(kms, key.alias, { KeySpec: key.spec, KeyUsage: key.usage, Description: key.description, Tags: tags(key.team, key.env), Policy: consolePolicy(key.usage as ConsoleKeyUsage, key.spec) });
  }
  await create(kms, 'alias/tutorial', { Description: 'For the tutorials: the /learn scenarios and the AWS CLI examples', Tags: tags('training', 'sandbox') });
  // CreateAlias takes a key ID or ARN, not another alias.
  const card = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments/card-data' }))).KeyMetadata!.KeyId!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: card }));
  await kms.send(
    new CreateGrantCommand({
      KeyId: card,
      GranteePrincipal: APP,
      Operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
      Constraints: { EncryptionContextSubset: { app: 'checkout' } },
      Name: 'checkout-service',
    }),
  );
  return SPEC_GALLERY.length + 1;
}

export interface DemoAccountOptions {
  /** The Region that also holds the first dozen demo keys and the account's special keys. */
  home?: string;
  /** Leave the home Region's pending-deletion key for `scheduleDemoDeletions` (see seed.ts). */
  deferDeletions?: boolean;
}

/** Seeds every demo Region that holds no key yet; returns how many customer managed keys it created. */
export async function seedDemoAccount(emulator: Emulator, { home = 'us-east-1', deferDeletions = false }: DemoAccountOptions = {}): Promise<number> {
  const regions = [home, ...DEMO_REGIONS.filter((region) => region !== home)];
  const kmsIn = (region: string) => emulator.kmsClient({ region });
  const empty = new Map<string, boolean>();
  for (const region of regions) empty.set(region, await isEmpty(kmsIn(region)));
  let created = 0;
  if (empty.get(home)) {
    const kms = kmsIn(home);
    created += await seedDemoKeys(kms, { deferDeletions });
    await create(kms, 'alias/hr/records', { Description: 'HR records: only with the HR encryption context', Policy: HR_POLICY, Tags: tags('hr', 'prod', { 'data-class': 'restricted' }) });
    const partner = await create(kms, 'alias/shared/partner-exchange', { Description: 'Files exchanged with partner account 444455556666', Policy: PARTNER_POLICY, Tags: tags('partners', 'prod') });
    await kms.send(
      new CreateGrantCommand({ KeyId: partner.KeyId, GranteePrincipal: `arn:aws:iam::${PARTNER_ACCOUNT}:user/admin`, Operations: ['Decrypt', 'DescribeKey'], Name: 'partner-batch-import' }),
    );
    const orders = await create(kms, 'alias/global/orders', {
      MultiRegion: true,
      Description: 'Orders, readable in every Region we serve (multi-Region primary)',
      Policy: consolePolicy('ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT'),
      Tags: tags('payments', 'prod'),
    });
    await kms.send(new EnableKeyRotationCommand({ KeyId: orders.KeyId, RotationPeriodInDays: 365 }));
    const replicaRegion = regions[1];
    await kms.send(new ReplicateKeyCommand({ KeyId: orders.KeyId, ReplicaRegion: replicaRegion, Description: 'Orders (multi-Region replica)' }));
    await kmsIn(replicaRegion).send(new CreateAliasCommand({ AliasName: 'alias/global/orders', TargetKeyId: orders.KeyId }));
    await importedKey(kms);
    created += 5 + (await seedGalleryAndTutorial(kms));
  }
  for (const [index, region] of regions.entries()) {
    // The replica made above is in its Region already, so that Region counts as empty until its fleet exists.
    if (empty.get(region)) created += await seedFleet(kmsIn(region), index);
  }
  return created;
}

export interface SeedDemoOptions {
  emulator: Emulator;
  /** Moves the emulator's clock: the account is made `days` ago, and its history covers the days since. */
  setNow(ms: number): void;
  now: number;
  /** Default 90: all of CloudTrail's LookupEvents window. */
  days?: number;
  /** About how many CloudTrail events of history (lib/emulator/history.ts); 0 for none. */
  historyEvents: number;
  home?: string;
}

export interface SeedDemoResult {
  created: number;
  awsManaged: number;
  /** CloudTrail events of history written. */
  events: number;
}

/**
 * Everything `npm run demo` and `npm run emulator -- --seed demo` start with: the demo account made `days`
 * ago, the history of those days written into CloudTrail, then the keys meant to be pending deletion
 * scheduled now, and the AWS managed keys that the account's services made. Only into empty Regions.
 */
export async function seedDemo({ emulator, setNow, now, days = 90, historyEvents, home = 'us-east-1' }: SeedDemoOptions): Promise<SeedDemoResult> {
  setNow(now - days * 86_400_000);
  const created = await seedDemoAccount(emulator, { home, deferDeletions: true });
  const regions = [home, ...DEMO_REGIONS.filter((region) => region !== home)];
  const events = created > 0 ? await seedDemoHistory(emulator, { regions, home, end: now, days, events: historyEvents }) : 0;
  setNow(now);
  if (created > 0) await scheduleDemoDeletions(emulator.kmsClient({ region: home }));
  let awsManaged = 0;
  for (const region of new Set([home, ...DEMO_REGIONS])) awsManaged += emulator.createAwsManagedKeys(DEMO_ACCOUNT, region);
  return { created, awsManaged, events };
}
