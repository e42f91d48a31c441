/**
 * The playground as the demo operator (it is an operator's tool), each action against the demo emulator:
 * encrypt/decrypt with a context, from a file, with an RSA key; the 4 KB limit, ReEncrypt, GenerateRandom,
 * Sign/Verify (RSA and ECC), GenerateMac/VerifyMac, DeriveSharedSecret, and envelope encryption of a 20 MB
 * file in the browser (its progress bar) that `npm run envelope` opens, and the other way round. Every AWS CLI
 * command the page shows is run as shown with the machine's `aws` against the console's /api/kms and gives
 * what the console's call gave: the same key, the same plaintext, the same validity, the same bytes.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, KMSClient, type CreateKeyCommandInput } from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { awsMissing, cliErrorName, runShown, type RunOptions, type ShellResult } from './cli-twin';

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
  'alias/pg/rsa-encrypt': { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' },
};
const ids = new Map<string, string>();
const arnOf = (alias: string) => `arn:aws:kms:${REGION}:111122223333:key/${ids.get(alias)}`;

test.describe.configure({ mode: 'serial' });

// The playground is an operator's tool: these tests run as the demo operator, signed in here on this console.
const OPERATOR_STATE = path.join(process.env.KEYDECK_E2E_AUTH_DIR ?? os.tmpdir(), 'operator-playground.json');
test.use({ storageState: OPERATOR_STATE });

test.beforeAll(async ({ baseURL, browser }) => {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const signIn = await context.newPage();
  await signIn.goto('/signin');
  await signIn.getByRole('button', { name: 'Sign in as Otto Operator' }).click();
  await expect(signIn).toHaveURL(/\/keys$/);
  await context.storageState({ path: OPERATOR_STATE });
  await context.close();

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
  const results = await axeScan(page);
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

if (awsMissing) console.log(`playground.spec.ts: not running the shown CLI commands: ${awsMissing}`);

/** The text of a shown CLI block (`title` as the card names it) inside `scope`. */
const shownCli = async (scope: Locator, title = 'AWS CLI') => (await scope.getByLabel(`${title} command`, { exact: true }).textContent()) ?? '';

/**
 * Runs a shown command in a fresh directory holding `files`; returns the result and the directory (for the
 * files the command wrote). Skipped (null) only when the machine has no AWS CLI.
 */
async function runTwin(text: string, files: Record<string, Buffer | string> = {}, options?: RunOptions): Promise<{ result: ShellResult; dir: string } | null> {
  if (awsMissing) return null;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pg-cli-'));
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(dir, name), content);
  return { result: await runShown(text, dir, options), dir };
}

/** Like runTwin, and the command must succeed. */
async function runTwinOk(text: string, files: Record<string, Buffer | string> = {}, options?: RunOptions) {
  const ran = await runTwin(text, files, options);
  if (ran) expect(ran.result.code, `${text}\n${ran.result.stderr}`).toBe(0);
  return ran;
}

/** Downloads a file the page offers (a button or link named `Download <name>`) into `dir`. */
async function downloadTo(page: Page, scope: Locator, name: string, dir: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), scope.getByRole('button', { name: `Download ${name}` }).click()]);
  const file = path.join(dir, name);
  await download.saveAs(file);
  return fs.readFile(file);
}

/** The console's Decrypt of the CLI's ciphertext: the ciphertext is loaded into the page's Decrypt card. */
async function decryptInPage(page: Page, ciphertextFile: string) {
  await page.getByLabel('Load ciphertext.bin').setInputFiles(ciphertextFile);
  await page.getByRole('button', { name: 'Decrypt', exact: true }).click();
  // The call shown is this one: it sent the CLI's ciphertext.
  await expect(result(page, 'Decrypt').getByLabel('Decrypt request JSON')).toContainText((await fs.readFile(ciphertextFile)).toString('base64'));
  return result(page, 'Decrypt').getByLabel('Decrypt response JSON');
}

test('encrypt and decrypt text with an encryption context, as the operator; the CLI twins give the same', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  await open(page, 'alias/pg/documents');
  await expect(page.getByRole('button', { name: /Otto Operator/ })).toBeVisible();
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

  // The Encrypt twin, run as shown on the same plaintext: its ciphertext decrypts in the console with the same key.
  const plaintext = Buffer.from('card 4111 1111 1111 1111');
  const encryptTwin = await shownCli(encrypt);
  const cliEncrypt = await runTwinOk(encryptTwin, { 'plaintext.bin': plaintext });
  // The CloudTrail lookup twin finds the console's Encrypt event.
  const eventId = (JSON.parse((await encrypt.getByLabel('CloudTrail record').textContent()) ?? '{}') as { eventID: string }).eventID;
  const lookup = await runTwinOk((await encrypt.getByLabel('CloudTrail lookup command').textContent()) ?? '');
  if (lookup) expect((JSON.parse(lookup.result.stdout) as { Events: { EventId: string }[] }).Events.map((e) => e.EventId)).toContain(eventId);
  const pageCiphertext = await downloadTo(page, page.getByRole('region', { name: 'Decrypt', exact: true }), 'ciphertext.bin', await fs.mkdtemp(path.join(os.tmpdir(), 'pg-ct-')));

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

  // The Decrypt twin opens the console's ciphertext and the CLI's, to the same plaintext.
  const decryptTwin = await shownCli(result(page, 'Decrypt'));
  expect(decryptTwin).toContain(`--key-id ${arnOf('alias/pg/documents')}`);
  const fromPage = await runTwinOk(decryptTwin, { 'ciphertext.bin': pageCiphertext });
  if (fromPage && cliEncrypt) {
    expect(await fs.readFile(path.join(fromPage.dir, 'decrypted.bin'))).toEqual(plaintext);
    const cliCiphertext = path.join(cliEncrypt.dir, 'ciphertext.bin');
    const fromCli = await runTwinOk(decryptTwin, { 'ciphertext.bin': await fs.readFile(cliCiphertext) });
    expect(await fs.readFile(path.join(fromCli!.dir, 'decrypted.bin'))).toEqual(plaintext);
    // …and the console decrypts the CLI's ciphertext with the same key ARN.
    await expect(await decryptInPage(page, cliCiphertext)).toContainText(`"KeyId": "${arnOf('alias/pg/documents')}"`);
  }
});

test('encrypt a file with an RSA key (RSAES_OAEP_SHA_256) and decrypt it; the CLI twins give the same', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pg-rsa-'));
  const plaintext = Buffer.from('wire transfer #20261204: 1,250.00 EUR to DE89 3704 0044 0532 0130 00\n');
  const input = path.join(dir, 'transfer.txt');
  await fs.writeFile(input, plaintext);
  await open(page, 'alias/pg/rsa-encrypt');
  await page.getByRole('radio', { name: 'File' }).check();
  await page.getByLabel('Plaintext file').setInputFiles(input);
  await expect(page.getByText(`transfer.txt: ${plaintext.length} bytes`)).toBeVisible();
  await page.getByLabel('Encryption algorithm').selectOption('RSAES_OAEP_SHA_256');
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(page.getByLabel('Ciphertext (base64)')).not.toHaveValue('');
  await expectTwinAndEvent(page, 'Encrypt', baseURL!);
  const encrypt = result(page, 'Encrypt');
  await expect(encrypt.getByLabel('CloudTrail record')).toContainText('"encryptionAlgorithm": "RSAES_OAEP_SHA_256"');
  const encryptTwin = await shownCli(encrypt);
  expect(encryptTwin).toContain('--encryption-algorithm RSAES_OAEP_SHA_256');
  const cliEncrypt = await runTwinOk(encryptTwin, { 'plaintext.bin': plaintext });
  const pageCiphertext = await downloadTo(page, page.getByRole('region', { name: 'Decrypt', exact: true }), 'ciphertext.bin', dir);

  await page.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(page.getByLabel('Decrypted plaintext')).toHaveText('•••••• hidden');
  await page.getByRole('button', { name: 'Reveal plaintext' }).click();
  await expect(page.getByLabel('Decrypted plaintext')).toHaveText(plaintext.toString());
  await expectTwinAndEvent(page, 'Decrypt', baseURL!);
  await expectAccessible(page);
  await shoot(page, 'encrypt-rsa-file');

  const decryptTwin = await shownCli(result(page, 'Decrypt'));
  expect(decryptTwin).toContain('--encryption-algorithm RSAES_OAEP_SHA_256');
  const fromPage = await runTwinOk(decryptTwin, { 'ciphertext.bin': pageCiphertext });
  if (fromPage && cliEncrypt) {
    expect(await fs.readFile(path.join(fromPage.dir, 'decrypted.bin'))).toEqual(plaintext);
    const cliCiphertext = path.join(cliEncrypt.dir, 'ciphertext.bin');
    const fromCli = await runTwinOk(decryptTwin, { 'ciphertext.bin': await fs.readFile(cliCiphertext) });
    expect(await fs.readFile(path.join(fromCli!.dir, 'decrypted.bin'))).toEqual(plaintext);
    await expect(await decryptInPage(page, cliCiphertext)).toContainText(`"KeyId": "${arnOf('alias/pg/rsa-encrypt')}"`);
  }
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

test('ReEncrypt moves a ciphertext to another key; so does its CLI twin', async ({ page, baseURL }) => {
  await open(page, 'alias/pg/documents');
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(page.getByLabel('Ciphertext (base64)')).not.toHaveValue('');
  const ciphertext = await downloadTo(page, page.getByRole('region', { name: 'Decrypt', exact: true }), 'ciphertext.bin', await fs.mkdtemp(path.join(os.tmpdir(), 'pg-re-')));
  await page.getByRole('tab', { name: 'ReEncrypt' }).click();
  await page.getByLabel('Destination key').selectOption(ids.get('alias/pg/archive')!);
  await page.getByRole('button', { name: 'Re-encrypt' }).click();
  await expect(result(page, 'ReEncrypt').getByLabel('ReEncrypt response JSON')).toContainText(`key/${ids.get('alias/pg/archive')}`);
  await expectTwinAndEvent(page, 'ReEncrypt', baseURL!);
  await expectAccessible(page);
  await shoot(page, 'reencrypt');

  // The twin re-encrypts the same ciphertext under the same destination key; it decrypts to the page's default text.
  const twin = await runTwinOk(await shownCli(result(page, 'ReEncrypt')), { 'ciphertext.bin': ciphertext });
  if (twin) {
    const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: await fs.readFile(path.join(twin.dir, 'reencrypted.bin')), EncryptionContext: { purpose: 'playground' } }));
    kms.destroy();
    expect(out.KeyId).toBe(arnOf('alias/pg/archive'));
    expect(Buffer.from(out.Plaintext!).toString()).toBe('Hello, KMS!');
  }
});

test('GenerateRandom', async ({ page, baseURL }) => {
  await page.goto(`/playground?region=${REGION}`);
  await page.getByLabel('Number of bytes').fill('64');
  await page.getByRole('button', { name: 'Generate random' }).click();
  await expect(result(page, 'GenerateRandom').getByLabel('GenerateRandom response JSON')).toContainText('hidden (64 bytes)');
  await expectTwinAndEvent(page, 'GenerateRandom', baseURL!);
  // This twin runs the `aws` executable itself (the others, the same AWS CLI kept warm: see cli-twin.ts).
  const twin = await runTwinOk(await shownCli(result(page, 'GenerateRandom')), {}, { aws: 'binary' });
  if (twin) expect((await fs.readFile(path.join(twin.dir, 'random.bin'))).length).toBe(64);
  await page.getByLabel('Number of bytes').fill('2000');
  await expect(page.getByText('GenerateRandom returns from 1 to 1,024 bytes per call.')).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'random');
});

for (const [alias, algorithm, messageType] of [
  ['alias/pg/rsa-sign', 'RSASSA_PSS_SHA_256', 'RAW'],
  ['alias/pg/ecc-sign', 'ECDSA_SHA_256', 'DIGEST'],
] as const) {
  test(`sign and verify with ${alias} (${algorithm}, ${messageType}), verify with OpenSSL, and the CLI twins agree`, async ({ page, baseURL }) => {
    test.setTimeout(180_000);
    await open(page, alias);
    await page.getByLabel('Signing algorithm').selectOption(algorithm);
    await page.getByLabel('Message type').selectOption(messageType);
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect(page.getByLabel('Signature (base64)')).not.toHaveValue('');
    await expectTwinAndEvent(page, 'Sign', baseURL!);
    const signTwin = await shownCli(result(page, 'Sign'));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByText('Signature valid')).toBeVisible();
    await expectTwinAndEvent(page, 'Verify', baseURL!);
    await expect(result(page, 'Verify').getByLabel('Verify response JSON')).toContainText('"SignatureValid": true');
    const verifyTwin = await shownCli(result(page, 'Verify'));
    expect(verifyTwin).toContain(`aws kms verify --key-id ${arnOf(alias)}`);

    // The downloads and the OpenSSL commands shown verify the signature outside KMS.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pg-sign-'));
    const files: Record<string, Buffer> = {};
    for (const name of ['signature.bin', 'message.bin', 'public-key.der']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download ${name}` }).click()]);
      await download.saveAs(path.join(dir, name));
      files[name] = await fs.readFile(path.join(dir, name));
    }

    // The twins: Verify finds the console's signature valid, as the console did; Sign's signature is valid too;
    // the public key the CLI fetches is the one the page offers.
    const cliVerified = await runTwinOk(verifyTwin, { 'message.bin': files['message.bin'], 'signature.bin': files['signature.bin'] });
    if (cliVerified) expect(cliVerified.result.stdout.trim()).toBe('True');
    const signed = await runTwinOk(signTwin, { 'message.bin': files['message.bin'] });
    if (signed) {
      const again = await runTwinOk(verifyTwin, { 'message.bin': files['message.bin'], 'signature.bin': await fs.readFile(path.join(signed.dir, 'signature.bin')) });
      expect(again!.result.stdout.trim()).toBe('True');
    }
    const publicKey = await runTwinOk(await shownCli(page.getByRole('region', { name: 'Verify outside KMS', exact: true }), 'AWS CLI: fetch the public key'));
    if (publicKey) expect(await fs.readFile(path.join(publicKey.dir, 'public-key.der'))).toEqual(files['public-key.der']);
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
    // The Verify twin refuses the same tampered signature with the same exception.
    const tampered = Buffer.from(files['signature.bin']);
    tampered[0] ^= 1;
    const refused = await runTwin(verifyTwin, { 'message.bin': files['message.bin'], 'signature.bin': tampered });
    if (refused) {
      expect(refused.result.code).not.toBe(0);
      expect(cliErrorName(refused.result.stderr)).toBe('KMSInvalidSignatureException');
    }
  });
}

test('generate and verify a MAC; the CLI twins give the same MAC and the same verdicts', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const message = '{"event":"order.paid","order":1042}';
  await open(page, 'alias/pg/webhooks');
  await page.getByRole('button', { name: 'Generate MAC' }).click();
  await expect(page.getByLabel('MAC (base64)')).not.toHaveValue('');
  await expectTwinAndEvent(page, 'GenerateMac', baseURL!);
  const generateTwin = await shownCli(result(page, 'GenerateMac'));
  const mac = await downloadTo(page, page.getByRole('region', { name: 'Generate and verify a MAC', exact: true }), 'mac.bin', await fs.mkdtemp(path.join(os.tmpdir(), 'pg-mac-')));
  await page.getByRole('button', { name: 'Verify MAC' }).click();
  await expect(page.getByText('MAC valid')).toBeVisible();
  await expectTwinAndEvent(page, 'VerifyMac', baseURL!);
  await expect(result(page, 'VerifyMac').getByLabel('VerifyMac response JSON')).toContainText('"MacValid": true');
  const verifyTwin = await shownCli(result(page, 'VerifyMac'));
  expect(verifyTwin).toContain(`aws kms verify-mac --key-id ${arnOf('alias/pg/webhooks')}`);
  await page.getByLabel('Message').fill('{"event":"order.paid","order":9999}');
  await page.getByRole('button', { name: 'Verify MAC' }).click();
  await expect(page.getByText('MAC invalid')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'KMSInvalidMacException' })).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'mac');

  // HMAC is deterministic: the GenerateMac twin makes the very MAC the console made; VerifyMac agrees both ways.
  const generated = await runTwinOk(generateTwin, { 'message.bin': message });
  if (generated) expect(await fs.readFile(path.join(generated.dir, 'mac.bin'))).toEqual(mac);
  const verified = await runTwinOk(verifyTwin, { 'message.bin': message, 'mac.bin': mac });
  if (verified) expect(verified.result.stdout.trim()).toBe('True');
  const refused = await runTwin(verifyTwin, { 'message.bin': '{"event":"order.paid","order":9999}', 'mac.bin': mac });
  if (refused) {
    expect(refused.result.code).not.toBe(0);
    expect(cliErrorName(refused.result.stderr)).toBe('KMSInvalidMacException');
  }
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

  // The twin, with the peer's public key the page offers, derives the very secret the console's call returned.
  const derive = result(page, 'DeriveSharedSecret');
  const peer = await downloadTo(page, page.getByRole('region', { name: 'Derive a shared secret', exact: true }), 'peer-public-key.der', await fs.mkdtemp(path.join(os.tmpdir(), 'pg-derive-')));
  await derive.getByRole('button', { name: 'Reveal secrets' }).click();
  const secret = (JSON.parse((await derive.getByLabel('DeriveSharedSecret response JSON').textContent()) ?? '{}') as { SharedSecret: string }).SharedSecret;
  const twin = await runTwinOk(await shownCli(derive), { 'peer-public-key.der': peer });
  if (twin) expect((await fs.readFile(path.join(twin.dir, 'shared-secret.bin'))).toString('base64')).toBe(secret);
});

test('envelope-encrypts a 20 MB file in the browser with a progress bar; the CLI opens it, and the browser opens the CLI’s', async ({ page, baseURL }) => {
  test.setTimeout(420_000);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pg-envelope-'));
  const input = path.join(dir, 'backup.tar');
  await fs.writeFile(input, crypto.randomBytes(20 * 1024 * 1024 + 12_345));
  const digest = async (file: string) => crypto.createHash('sha256').update(await fs.readFile(file)).digest('hex');

  await open(page, 'alias/pg/documents');
  await page.getByRole('tab', { name: 'Envelope (large files)' }).click();
  await page.getByLabel('File to encrypt').setInputFiles(input);
  await page.getByLabel('Encryption context value 1').fill('nightly');
  // Every frame, what the progress bar shows: it must appear, move, and end at 100%.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    const tick = () => {
      const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Envelope progress"]');
      if (bar && seen.at(-1) !== `${bar.value}/${bar.max}`) seen.push(`${bar.value}/${bar.max}`);
      requestAnimationFrame(tick);
    };
    tick();
  });
  await page.getByRole('button', { name: 'Envelope-encrypt' }).click();
  const link = page.getByRole('link', { name: 'Download backup.tar.kdenv' });
  await expect(link).toBeVisible({ timeout: 120_000 });
  const bar = page.getByRole('progressbar', { name: 'Envelope progress' });
  const size = (await fs.stat(input)).size;
  await expect(bar).toHaveJSProperty('value', size);
  await expect(bar).toHaveJSProperty('max', size);
  await expect(page.getByText('Encrypted: 100%')).toBeVisible();
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  expect(seen[0]).toBe(`0/${size}`);
  expect(seen.some((s) => Number(s.split('/')[0]) > 0 && Number(s.split('/')[0]) < size), `progress seen: ${seen.join(', ')}`).toBe(true);
  expect(seen.at(-1)).toBe(`${size}/${size}`);
  const generated = result(page, 'GenerateDataKey');
  await expect(generated.getByLabel('GenerateDataKey response JSON')).toContainText('non-extractable, then dropped');
  await expectTwinAndEvent(page, 'GenerateDataKey', baseURL!);
  // GenerateDataKey's twin: a data key under the same key ARN.
  const dataKey = await runTwinOk(await shownCli(generated));
  if (dataKey) {
    const out = JSON.parse(dataKey.result.stdout) as { KeyId: string; Plaintext: string };
    expect(out.KeyId).toBe(arnOf('alias/pg/documents'));
    expect(Buffer.from(out.Plaintext, 'base64').length).toBe(32);
    await expect(generated.getByLabel('GenerateDataKey response JSON')).toContainText(`"KeyId": "${out.KeyId}"`);
  }
  const envelopeTwin = await shownCli(page.getByRole('region', { name: 'The same from the command line', exact: true }), 'The same from the command line');
  expect(envelopeTwin).toContain(`npm run envelope -- encrypt --key ${arnOf('alias/pg/documents')} --context purpose=nightly --in backup.tar --out backup.tar.kdenv`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const envelope = path.join(dir, 'backup.tar.kdenv');
  await download.saveAs(envelope);
  await shoot(page, 'envelope-encrypt');

  // The CLI decrypts the browser's envelope.
  const fromBrowser = path.join(dir, 'from-browser.tar');
  const decrypted = await run('npm', ['run', '-s', 'envelope', '--', 'decrypt', '--in', envelope, '--out', fromBrowser, '--endpoint-url', `${baseURL}/api/kms`]);
  expect(decrypted.stderr).toBe('');
  expect(await digest(fromBrowser)).toBe(await digest(input));

  // The browser decrypts the CLI's envelope, made by the command the page showed, run as shown. npm runs it
  // from the checkout's root, where its relative file names resolve: the files are put there for it.
  const checkout = path.resolve(import.meta.dirname, '..');
  const cliEnvelope = path.join(dir, 'cli.tar.kdenv');
  const atRoot = (name: string) => path.join(checkout, name);
  try {
    await fs.copyFile(input, atRoot('backup.tar'));
    const encrypted = await runShown(envelopeTwin, checkout);
    expect(encrypted.code, encrypted.stderr).toBe(0);
    await fs.rename(atRoot('backup.tar.kdenv'), cliEnvelope);
  } finally {
    await fs.rm(atRoot('backup.tar'), { force: true });
    await fs.rm(atRoot('backup.tar.kdenv'), { force: true });
  }
  await page.getByLabel('Envelope file (.kdenv)').setInputFiles(cliEnvelope);
  await expect(page.getByLabel('Envelope header')).toContainText('"purpose": "nightly"');
  await expect(page.getByLabel('Envelope header')).toContainText(`"keyArn": "${arnOf('alias/pg/documents')}"`);
  await page.getByRole('button', { name: 'Decrypt envelope' }).click();
  const back = page.getByRole('link', { name: 'Download cli.tar' });
  await expect(back).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('Decrypted: 100%')).toBeVisible();
  const [plain] = await Promise.all([page.waitForEvent('download'), back.click()]);
  const fromCli = path.join(dir, 'from-cli.tar');
  await plain.saveAs(fromCli);
  expect(await digest(fromCli)).toBe(await digest(input));
  // The decrypt command shown now, run as shown, opens the same envelope to the same bytes.
  const decryptTwin = await shownCli(page.getByRole('region', { name: 'The same from the command line', exact: true }), 'The same from the command line');
  expect(decryptTwin).toContain('npm run envelope -- decrypt --in cli.tar.kdenv --out cli.tar');
  try {
    await fs.copyFile(cliEnvelope, atRoot('cli.tar.kdenv'));
    const decrypted = await runShown(decryptTwin, checkout);
    expect(decrypted.code, decrypted.stderr).toBe(0);
    expect(await digest(atRoot('cli.tar'))).toBe(await digest(input));
  } finally {
    await fs.rm(atRoot('cli.tar.kdenv'), { force: true });
    await fs.rm(atRoot('cli.tar'), { force: true });
  }
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
