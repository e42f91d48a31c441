/**
 * The playground, each action once against the demo emulator: encrypt/decrypt with a context, the 4 KB
 * limit, ReEncrypt, GenerateRandom, Sign/Verify (RSA and ECC), MAC, DeriveSharedSecret, and envelope
 * encryption of a 20 MB file in the browser that `npm run envelope` opens (and the other way round).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient, type CreateKeyCommandInput } from '@aws-sdk/client-kms';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// eu-west-2 belongs to this spec alone.
const REGION = 'eu-west-2';
const SHOTS = '/tmp/playground-shots';

const SEED: Record<string, CreateKeyCommandInput> = {
  'alias/pg/documents': { Description: 'Playground symmetric' },
  'alias/pg/archive': { Description: 'ReEncrypt destination' },
  'alias/pg/rsa-sign': { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' },
  'alias/pg/ecc-sign': { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
  'alias/pg/webhooks': { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
  'alias/pg/ecdh': { KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' },
};
const ids = new Map<string, string>();

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const [alias, input] of Object.entries(SEED)) {
    const id = (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: id }));
    ids.set(alias, id);
  }
  kms.destroy();
  await fs.mkdir(SHOTS, { recursive: true });
});

async function open(page: Page, alias: string) {
  await page.goto(`/playground?region=${REGION}&key=${ids.get(alias)}`);
  await expect(page.getByRole('tablist', { name: 'Key actions' })).toBeVisible();
  await page.waitForLoadState('networkidle');
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function shoot(page: Page, name: string) {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SHOTS}/${name}-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
}

const result = (page: Page, operation: string) => page.getByRole('region', { name: `${operation} result` });

/** Waits for the call's CloudTrail event and checks the CLI twin names the console's endpoint. */
async function expectTwinAndEvent(page: Page, operation: string, baseURL: string) {
  const region = result(page, operation);
  await expect(region.getByText('Recorded')).toBeVisible();
  await expect(region.getByLabel('CloudTrail record')).toContainText(`"eventName": "${operation}"`);
  await expect(region.getByLabel('AWS CLI command', { exact: true })).toContainText(`--region ${REGION} --endpoint-url ${baseURL}/api/kms`);
}

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 120_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

test('encrypt and decrypt text with an encryption context', async ({ page, baseURL }) => {
  await open(page, 'alias/pg/documents');
  await page.getByLabel('Plaintext', { exact: true }).fill('card 4111 1111 1111 1111');
  await page.getByLabel('Encryption context value 1').fill('customer-42');
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(page.getByLabel('Ciphertext (base64)')).not.toHaveValue('');
  await expectTwinAndEvent(page, 'Encrypt', baseURL!);
  const encrypt = result(page, 'Encrypt');
  // The plaintext is masked in the request until revealed, and never in the CloudTrail record.
  await expect(encrypt.getByLabel('Encrypt request JSON')).toContainText('hidden (24 bytes)');
  await expect(encrypt.getByLabel('CloudTrail record')).not.toContainText('4111');
  await expect(encrypt.getByLabel('CloudTrail record')).toContainText('"purpose": "customer-42"');
  await expect(encrypt.getByLabel('AWS CLI command', { exact: true })).toContainText(`--encryption-context '{"purpose":"customer-42"}'`);
  await page.getByRole('button', { name: 'Reveal secrets' }).click();
  await expect(encrypt.getByLabel('Encrypt request JSON')).toContainText(Buffer.from('card 4111 1111 1111 1111').toString('base64'));

  // A wrong context: KMS refuses, by name.
  await page.getByLabel('Decryption context value 1').fill('customer-43');
  await page.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'InvalidCiphertextException' })).toBeVisible();

  await page.getByLabel('Decryption context value 1').fill('customer-42');
  await page.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(page.getByLabel('Decrypted plaintext')).toHaveText('•••••• hidden');
  await page.getByRole('button', { name: 'Reveal plaintext' }).click();
  await expect(page.getByLabel('Decrypted plaintext')).toHaveText('card 4111 1111 1111 1111');
  await expectTwinAndEvent(page, 'Decrypt', baseURL!);
  await expectAccessible(page);
  await shoot(page, 'encrypt-decrypt');
});

test('the 4 KB limit is explained and hands the data to envelope encryption', async ({ page }) => {
  await open(page, 'alias/pg/documents');
  // Typed before the panel has settled, text can land in a field that is then replaced: type until it stays.
  const plaintext = page.getByLabel('Plaintext', { exact: true });
  await expect(async () => {
    await plaintext.fill('x'.repeat(5000));
    await page.waitForTimeout(200);
    await expect(plaintext).toHaveValue('x'.repeat(5000), { timeout: 100 });
  }).toPass();
  await expect(page.getByText("5,000 bytes is over KMS's 4,096-byte limit for Encrypt.")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Encrypt', exact: true })).toBeDisabled();
  await shoot(page, 'limit');
  await page.getByRole('button', { name: 'Switch to envelope encryption' }).click();
  await expect(page.getByRole('tab', { name: 'Envelope (large files)' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('plaintext.txt: 5,000 bytes')).toBeVisible();
  await page.getByRole('button', { name: 'Envelope-encrypt' }).click();
  await expect(page.getByRole('link', { name: 'Download plaintext.txt.kdenv' })).toBeVisible();
});

test('ReEncrypt moves a ciphertext to another key', async ({ page, baseURL }) => {
  await open(page, 'alias/pg/documents');
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(page.getByLabel('Ciphertext (base64)')).not.toHaveValue('');
  await page.getByRole('tab', { name: 'ReEncrypt' }).click();
  await page.getByLabel('Destination key').selectOption(ids.get('alias/pg/archive')!);
  await page.getByRole('button', { name: 'Re-encrypt' }).click();
  await expect(result(page, 'ReEncrypt').getByLabel('ReEncrypt response JSON')).toContainText(`key/${ids.get('alias/pg/archive')}`);
  await expectTwinAndEvent(page, 'ReEncrypt', baseURL!);
  await expectAccessible(page);
  await shoot(page, 'reencrypt');
});

test('GenerateRandom', async ({ page, baseURL }) => {
  await page.goto(`/playground?region=${REGION}`);
  await page.getByLabel('Number of bytes').fill('64');
  await page.getByRole('button', { name: 'Generate random' }).click();
  await expect(result(page, 'GenerateRandom').getByLabel('GenerateRandom response JSON')).toContainText('hidden (64 bytes)');
  await expectTwinAndEvent(page, 'GenerateRandom', baseURL!);
  await page.getByLabel('Number of bytes').fill('2000');
  await expect(page.getByText('GenerateRandom returns from 1 to 1,024 bytes per call.')).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'random');
});

for (const [alias, algorithm, messageType] of [
  ['alias/pg/rsa-sign', 'RSASSA_PSS_SHA_256', 'RAW'],
  ['alias/pg/ecc-sign', 'ECDSA_SHA_256', 'DIGEST'],
] as const) {
  test(`sign and verify with ${alias} (${algorithm}, ${messageType}), and verify with OpenSSL`, async ({ page, baseURL }) => {
    await open(page, alias);
    await page.getByLabel('Signing algorithm').selectOption(algorithm);
    await page.getByLabel('Message type').selectOption(messageType);
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect(page.getByLabel('Signature (base64)')).not.toHaveValue('');
    await expectTwinAndEvent(page, 'Sign', baseURL!);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByText('Signature valid')).toBeVisible();

    // The downloads and the OpenSSL commands shown verify the signature outside KMS.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pg-sign-'));
    for (const name of ['signature.bin', 'message.bin', 'public-key.der']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download ${name}` }).click()]);
      await download.saveAs(path.join(dir, name));
    }
    const commands = await page.getByLabel('OpenSSL verification commands').textContent();
    const verified = await run('bash', ['-c', `cd ${dir} && ${commands!.replaceAll('\n', ' && ')}`]);
    expect(verified.stdout).toMatch(/Verified OK|Signature Verified Successfully/);
    await shoot(page, `sign-${alias.split('/').pop()}`);

    // A tampered signature fails, by name.
    const signature = await page.getByLabel('Signature (base64)').inputValue();
    await page.getByLabel('Signature (base64)').fill((signature.startsWith('A') ? 'B' : 'A') + signature.slice(1));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByText('Signature invalid')).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'KMSInvalidSignatureException' })).toBeVisible();
    await expectAccessible(page);
  });
}

test('generate and verify a MAC', async ({ page, baseURL }) => {
  await open(page, 'alias/pg/webhooks');
  await page.getByRole('button', { name: 'Generate MAC' }).click();
  await expect(page.getByLabel('MAC (base64)')).not.toHaveValue('');
  await expectTwinAndEvent(page, 'GenerateMac', baseURL!);
  await page.getByRole('button', { name: 'Verify MAC' }).click();
  await expect(page.getByText('MAC valid')).toBeVisible();
  await page.getByLabel('Message').fill('{"event":"order.paid","order":9999}');
  await page.getByRole('button', { name: 'Verify MAC' }).click();
  await expect(page.getByText('MAC invalid')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'KMSInvalidMacException' })).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'mac');
});

test('derive a shared secret that the peer derives too', async ({ page, baseURL }) => {
  await open(page, 'alias/pg/ecdh');
  await page.getByRole('button', { name: 'Generate a peer key pair in this tab' }).click();
  await expect(page.getByLabel('Peer public key (PEM or base64 DER)')).toHaveValue(/BEGIN PUBLIC KEY/);
  await page.getByRole('button', { name: 'Derive shared secret' }).click();
  await expect(page.getByText('The peer derived the same secret')).toBeVisible();
  await expect(result(page, 'DeriveSharedSecret').getByLabel('DeriveSharedSecret response JSON')).toContainText('hidden (48 bytes)');
  await expectTwinAndEvent(page, 'DeriveSharedSecret', baseURL!);
  await expectAccessible(page);
  await shoot(page, 'derive');
});

test('envelope-encrypts a 20 MB file in the browser; the CLI opens it, and the browser opens the CLI’s', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pg-envelope-'));
  const input = path.join(dir, 'backup.tar');
  await fs.writeFile(input, crypto.randomBytes(20 * 1024 * 1024 + 12_345));
  const digest = async (file: string) => crypto.createHash('sha256').update(await fs.readFile(file)).digest('hex');

  await open(page, 'alias/pg/documents');
  await page.getByRole('tab', { name: 'Envelope (large files)' }).click();
  await page.getByLabel('File to encrypt').setInputFiles(input);
  await page.getByLabel('Encryption context value 1').fill('nightly');
  await page.getByRole('button', { name: 'Envelope-encrypt' }).click();
  const link = page.getByRole('link', { name: 'Download backup.tar.kdenv' });
  await expect(link).toBeVisible({ timeout: 120_000 });
  await expect(result(page, 'GenerateDataKey').getByLabel('GenerateDataKey response JSON')).toContainText('non-extractable, then dropped');
  await expectTwinAndEvent(page, 'GenerateDataKey', baseURL!);
  await expect(page.getByLabel('The same from the command line command', { exact: true })).toContainText('npm run envelope -- encrypt --key');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const envelope = path.join(dir, 'backup.tar.kdenv');
  await download.saveAs(envelope);
  await shoot(page, 'envelope-encrypt');

  // The CLI decrypts the browser's envelope.
  const fromBrowser = path.join(dir, 'from-browser.tar');
  const decrypted = await run('npm', ['run', '-s', 'envelope', '--', 'decrypt', '--in', envelope, '--out', fromBrowser, '--endpoint-url', `${baseURL}/api/kms`]);
  expect(decrypted.stderr).toBe('');
  expect(await digest(fromBrowser)).toBe(await digest(input));

  // The browser decrypts the CLI's envelope.
  const cliEnvelope = path.join(dir, 'cli.tar.kdenv');
  const encrypted = await run('npm', ['run', '-s', 'envelope', '--', 'encrypt', '--key', 'alias/pg/documents', '--in', input, '--out', cliEnvelope, '--context', 'purpose=cli', '--endpoint-url', `${baseURL}/api/kms`, '--region', REGION]);
  expect(encrypted.stderr).toBe('');
  await page.getByLabel('Envelope file (.kdenv)').setInputFiles(cliEnvelope);
  await expect(page.getByLabel('Envelope header')).toContainText('"purpose": "cli"');
  await page.getByRole('button', { name: 'Decrypt envelope' }).click();
  const back = page.getByRole('link', { name: 'Download cli.tar' });
  await expect(back).toBeVisible({ timeout: 120_000 });
  const [plain] = await Promise.all([page.waitForEvent('download'), back.click()]);
  const fromCli = path.join(dir, 'from-cli.tar');
  await plain.saveAs(fromCli);
  expect(await digest(fromCli)).toBe(await digest(input));
  await expectAccessible(page);
  await shoot(page, 'envelope-decrypt');

  // A tampered envelope is refused with the chunk that failed; nothing is offered for download.
  const tampered = path.join(dir, 'tampered.kdenv');
  const bytes = await fs.readFile(cliEnvelope);
  bytes[bytes.length - 100] ^= 1;
  await fs.writeFile(tampered, bytes);
  await page.getByLabel('Envelope file (.kdenv)').setInputFiles(tampered);
  await page.getByRole('button', { name: 'Decrypt envelope' }).click();
  await expect(page.getByText(/EnvelopeFormatError: Chunk 20 failed authentication/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('link', { name: /^Download tampered/ })).toHaveCount(0);
  await fs.rm(dir, { recursive: true, force: true });
});
