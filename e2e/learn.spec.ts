/**
 * /learn in the browser: every scenario completed step by step against the demo emulator (each step
 * passes and shows its call, CloudTrail event and CLI command), every shown AWS CLI command run with the
 * machine's `aws` against the console's /api/kms and compared with what the console's call returned,
 * progress on the list, reset of a scenario (its key scheduled for deletion, its progress cleared), and
 * axe checks of both pages.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DecryptCommand, DeleteAliasCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { awsMissing, cliErrorName, runShown, shownCredentials, shownOption } from './cli-twin';

const SHOTS = '/tmp/learn-shots';
const SCENARIOS = process.env.LEARN_ONLY ? [process.env.LEARN_ONLY] : ['secrets-in-code', 'envelope-encryption', 'key-policy-basics', 'cross-account', 'rotation', 'multi-region', 's3-replication', 'cost'];

test.describe.configure({ mode: 'serial' });

async function expectAccessible(page: Page) {
  const results = await axeScan(page);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function shoot(page: Page, name: string) {
  if (!process.env.LEARN_SHOTS) return;
  await fs.mkdir(SHOTS, { recursive: true });
  // The console scrolls inside its main column, so a tall viewport shows the whole page.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 2600 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SHOTS}/${name}-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  if (size) await page.setViewportSize(size);
}

/** Runs every step of the open scenario in order; each must pass. `afterStep` runs before the next step starts. */
async function completeScenario(page: Page, afterStep?: (step: Locator) => Promise<void>) {
  const steps = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  // count() does not wait: let the scenario page render its steps first (a cold page can take seconds).
  await expect(steps.first()).toBeVisible({ timeout: 30_000 });
  const count = await steps.count();
  expect(count).toBeGreaterThan(2);
  for (let i = 0; i < count; i++) {
    const step = steps.nth(i);
    const t = Date.now();
    await step.getByRole('button', { name: 'Run step' }).click();
    await expect(step.getByRole('status')).toContainText('Passed:', { timeout: 20_000 });
    if (process.env.LEARN_TIMING) console.log(`step ${i + 1}: ${Date.now() - t} ms`);
    await afterStep?.(step);
  }
  await expect(page.getByText(`${count} of ${count} steps passed.`)).toBeVisible();
}

type JsonObject = Record<string, unknown>;

/** One call as a step's card shows it, secrets revealed. */
interface ShownCall {
  step: string;
  operation: string;
  request: JsonObject;
  response: JsonObject | null;
  error?: string;
  cli: string;
}

/** The code blocks (labelled <pre>s) of every call a step shows, and whether its <details> is open, in one read of the page. */
const readCards = (step: Locator) =>
  step.evaluate((root) =>
    [...root.querySelectorAll('details')].map((d) => ({
      operation: (d.querySelector('summary > span')?.textContent ?? '').trim(),
      open: d.open,
      blocks: Object.fromEntries([...d.querySelectorAll('pre[aria-label]')].map((pre) => [pre.getAttribute('aria-label')!, pre.textContent ?? ''])),
    })),
  );

/** Whether a card's request or response shows a masked secret. */
const isMasked = ({ operation, blocks }: Awaited<ReturnType<typeof readCards>>[number]) => `${blocks[`${operation} request JSON`]}${blocks[`${operation} response JSON`] ?? ''}`.includes('hidden (');

/**
 * Reads every call a step's card shows, in order, revealing masked plaintexts. Dozens of steps show a few calls
 * each, and a locator round trip per code block cost more than the CLI runs themselves: the page is read whole.
 */
async function shownCalls(step: Locator): Promise<ShownCall[]> {
  const title = (await step.getByRole('heading', { level: 2 }).textContent()) ?? '';
  let cards = await readCards(step);
  const masked = cards.flatMap((card, i) => (isMasked(card) ? [i] : []));
  if (masked.length > 0) {
    // Closed cards are opened to reach their button, each masked call is revealed with it as a user does, the
    // page is read again (until every revealed card shows its secrets), and the cards are left as they were.
    const setOpen = (open: boolean[]) => step.evaluate((root, open) => root.querySelectorAll('details').forEach((d, i) => (d.open = open[i])), open);
    const wasOpen = cards.map((card) => card.open);
    await setOpen(cards.map((card, i) => card.open || masked.includes(i)));
    for (const i of masked) await step.locator('details').nth(i).getByRole('button', { name: 'Reveal secrets' }).click();
    const stillMasked = async () => {
      cards = await readCards(step);
      return masked.filter((i) => isMasked(cards[i]));
    };
    await expect.poll(stillMasked, { message: `${title}: secrets revealed` }).toEqual([]);
    await setOpen(wasOpen);
  }
  return cards.map(({ operation, blocks }) => {
    const hasResponse = `${operation} response JSON` in blocks;
    return {
      step: title,
      operation,
      request: JSON.parse(blocks[`${operation} request JSON`] ?? '{}') as JsonObject,
      response: hasResponse ? (JSON.parse(blocks[`${operation} response JSON`]) as JsonObject) : null,
      error: hasResponse ? undefined : (JSON.parse(blocks[`${operation} error`] ?? '{}') as { __type: string }).__type,
      cli: blocks[`${operation} AWS CLI command`] ?? '',
    };
  });
}

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
const bytes = (base64: unknown) => Buffer.from(String(base64), 'base64');

/**
 * Fields of an answer that a second, identical call returns unchanged (ids, validity, settings), at the top
 * and in KeyMetadata; not dates, tokens, ciphertexts or a new key's id.
 */
const STABLE = ['KeyId', 'Arn', 'SignatureValid', 'MacValid', 'KeyRotationEnabled', 'RotationPeriodInDays', 'Policy', 'KeySpec', 'KeyUsage', 'Origin', 'MultiRegion', 'KeyManager', 'Description', 'KeyState', 'Enabled', 'MultiRegionKeyType'];
function stableFields(answer: JsonObject, skip: string[] = []): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(answer)) {
    if (skip.includes(name)) continue;
    if (STABLE.includes(name)) out[name] = value;
    else if (name === 'KeyMetadata' && value && typeof value === 'object') out[name] = stableFields(value as JsonObject, skip);
    else if (name === 'MultiRegionConfiguration' && value && typeof value === 'object') out[name] = { MultiRegionKeyType: (value as JsonObject).MultiRegionKeyType };
  }
  return out;
}

/**
 * Calls that cannot end the same way a second time, whatever the client: the primary is already replicated
 * to that Region (AlreadyExistsException), and an import token works once — the console's import used it
 * (InvalidImportTokenException; a reimport needs new parameters from GetParametersForImport).
 */
const SECOND_TIME: Record<string, string> = { ReplicateKey: 'AlreadyExistsException', ImportKeyMaterial: 'InvalidImportTokenException' };

/** The demo accounts' administrators: they may decrypt what a caller allowed only kms:Encrypt made. */
const OWNERS = [
  { accessKeyId: 'test', secretAccessKey: 'test' },
  { accessKeyId: 'partner', secretAccessKey: 'partner' },
];

/** Decrypts a ciphertext the CLI made, as its caller if it may (else as a key owner), to see its key and plaintext. */
async function decryptMade(baseURL: string, region: string, caller: { accessKeyId: string; secretAccessKey: string }, input: { CiphertextBlob: Buffer; EncryptionContext?: Record<string, string> }) {
  let refusal: unknown;
  for (const credentials of [caller, ...OWNERS]) {
    const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region, credentials });
    try {
      return await kms.send(new DecryptCommand(input));
    } catch (error) {
      if ((error as Error).name !== 'AccessDeniedException') throw error;
      refusal = error;
    } finally {
      kms.destroy();
    }
  }
  throw refusal;
}

/**
 * Runs one shown call's CLI commands in a directory of its own, with the files they read made from what the
 * console sent, and checks they end as the console's call did: the same exception, or the same key, the
 * same plaintext after decryption, the same validity, the same settings.
 */
async function replay(call: ShownCall, work: string, baseURL: string) {
  const dir = await fs.mkdtemp(path.join(work, `${call.operation}-`));
  for (const [, file] of call.cli.matchAll(/fileb:\/\/([\w-]+)\.bin/g)) {
    const member = file === 'ciphertext' ? 'CiphertextBlob' : pascal(file);
    expect(call.request[member], `${call.operation}: ${member} for ${file}.bin`).toBeDefined();
    await fs.writeFile(path.join(dir, `${file}.bin`), bytes(call.request[member]));
  }
  const region = shownOption(call.cli, 'region')!;
  expect(shownOption(call.cli, 'endpoint-url')).toBe(`${baseURL}/api/kms`);
  const sdk = new KMSClient({ endpoint: `${baseURL}/api/kms`, region, credentials: shownCredentials(call.cli) });
  try {
    // The alias the console made is there now: take it away so the command meets what the console's call met.
    if (call.operation === 'CreateAlias') await sdk.send(new DeleteAliasCommand({ AliasName: String(call.request.AliasName) }));
    const result = await runShown(call.cli, dir);
    const where = `${call.step} · ${call.operation}: ${call.cli.split('\n').at(-1)}\n${result.stderr}`;
    const expectedError = call.error ?? SECOND_TIME[call.operation];
    if (expectedError) {
      expect(result.code, where).not.toBe(0);
      expect(cliErrorName(result.stderr), where).toBe(expectedError);
      return;
    }
    expect(result.code, where).toBe(0);
    const response = call.response!;
    switch (call.operation) {
      case 'Encrypt': {
        const out = await decryptMade(baseURL, region, shownCredentials(call.cli), { CiphertextBlob: await fs.readFile(path.join(dir, 'ciphertext.bin')), EncryptionContext: call.request.EncryptionContext as Record<string, string> | undefined });
        expect(out.KeyId, where).toBe(response.KeyId);
        expect(Buffer.from(out.Plaintext!).equals(bytes(call.request.Plaintext)), where).toBe(true);
        break;
      }
      case 'Decrypt':
        expect((await fs.readFile(path.join(dir, 'decrypted.bin'))).equals(bytes(response.Plaintext)), where).toBe(true);
        break;
      case 'ReEncrypt': {
        const out = await decryptMade(baseURL, region, shownCredentials(call.cli), { CiphertextBlob: await fs.readFile(path.join(dir, 'reencrypted.bin')), EncryptionContext: call.request.DestinationEncryptionContext as Record<string, string> | undefined });
        expect(out.KeyId, where).toBe(response.KeyId);
        break;
      }
      case 'ListKeyRotations': {
        // A replayed RotateKeyOnDemand adds one: every rotation the console saw is still listed.
        const cli = JSON.parse(result.stdout) as { Rotations: JsonObject[] };
        const ids = cli.Rotations.map((r) => r.KeyMaterialId ?? r.RotationDate);
        for (const r of response.Rotations as JsonObject[]) expect(ids, where).toContain(r.KeyMaterialId ?? new Date(String(r.RotationDate)).getTime() / 1000);
        break;
      }
      default: {
        // A new key (CreateKey) has its own id and ARN; everything else about it is the same.
        const skip = call.operation === 'CreateKey' ? ['KeyId', 'Arn'] : [];
        expect(stableFields(JSON.parse(result.stdout || '{}') as JsonObject, skip), where).toEqual(stableFields(response, skip));
      }
    }
  } finally {
    sdk.destroy();
  }
}

/**
 * Replays a step's calls in order, right after the step ran and before the next one does, so each command
 * meets the state its call met (a policy read before the step that replaces it reads the same policy).
 */
async function replayStep(step: Locator, baseURL: string, work: string) {
  // A burst of one call (s3-replication's throttling step) shows the same command on the same input many times: run it once.
  const seen = new Set<string>();
  let ran = 0;
  const t0 = Date.now();
  const calls = await shownCalls(step);
  if (process.env.LEARN_TIMING) console.log(`read ${calls.length} calls: ${Date.now() - t0} ms`);
  for (const call of calls) {
    const same = `${call.cli}\n${JSON.stringify(call.request)}`;
    if (seen.has(same)) continue;
    seen.add(same);
    const t1 = Date.now();
    await replay(call, work, baseURL);
    if (process.env.LEARN_TIMING) console.log(`replay ${call.operation}: ${Date.now() - t1} ms`);
    ran++;
  }
  return ran;
}

/** A note's shown CLI commands (cost: the same events from LookupEvents), run as shown. */
async function runNote(note: Locator, work: string) {
  const dir = await fs.mkdtemp(path.join(work, 'note-'));
  return runShown((await note.textContent()) ?? '', dir);
}

test('the scenario list shows the eight scenarios with progress, in the sidebar too', async ({ page }) => {
  // The first page of a fresh server warms the emulator and the store.
  test.setTimeout(90_000);
  await page.goto('/learn');
  await expect(page.getByRole('heading', { level: 1, name: 'Learn' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Learn', exact: true })).toBeVisible();
  const items = page.getByRole('list', { name: 'Scenarios' }).getByRole('listitem');
  await expect(items).toHaveCount(8);
  await expect(page.getByRole('progressbar', { name: 'Secrets in code progress' })).toHaveAttribute('aria-valuenow', '0');
  await expectAccessible(page);
  await shoot(page, 'list-empty');
});

test('every scenario completes in the browser, and every CLI command it shows ends as its call did', async ({ page, baseURL }) => {
  test.setTimeout(awsMissing ? 180_000 : 900_000);
  if (awsMissing) console.log(`learn.spec.ts: not running the shown CLI commands: ${awsMissing}`);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'learn-cli-'));
  let replayed = 0;
  for (const id of SCENARIOS) {
    const t = Date.now();
    await page.goto(`/learn/${id}`);
    if (process.env.LEARN_TIMING) console.log(`open ${id}: ${Date.now() - t} ms`);
    await completeScenario(page, awsMissing ? undefined : async (step) => void (replayed += await replayStep(step, baseURL!, work)));
    if (!awsMissing && id === 'cost') {
      // The note's LookupEvents command finds the scenario's own Encrypt calls, by the event ids the console showed.
      const note = page.getByLabel('The same events from the AWS CLI', { exact: true });
      await expect(note).toContainText(`--endpoint-url ${baseURL}/api/kms`);
      const looked = await runNote(note, work);
      expect(looked.code, looked.stderr).toBe(0);
      const found = new Set((JSON.parse(looked.stdout) as { Events: { EventId: string }[] }).Events.map((e) => e.EventId));
      const first = page.getByRole('list', { name: 'Steps' }).getByRole('listitem').first();
      const records = first.getByLabel('Encrypt CloudTrail record', { exact: true });
      expect(await records.count()).toBe(12);
      for (const record of await records.all()) expect(found).toContain((JSON.parse((await record.textContent()) ?? '{}') as { eventID: string }).eventID);
    }
    if (id === 'key-policy-basics') {
      // The denied call explained: the auditor's refused Decrypt, its CloudTrail event and the deciding statement.
      const step = page.getByRole('list', { name: 'Steps' }).getByRole('listitem').last();
      await expect(step.getByLabel('Simulation')).toContainText('"Deny the auditor plaintext"');
      const denied = step.locator('details', { hasText: 'as auditor' });
      await denied.locator('summary').click();
      await expect(denied.getByText('AccessDeniedException').first()).toBeVisible();
      await expect(denied.getByLabel('Decrypt CloudTrail record')).toContainText('"errorCode": "AccessDenied"');
      await expectAccessible(page);
      await shoot(page, 'policy-denied');
    }
  }
  await page.goto('/learn');
  for (const name of ['Secrets in code', 'What it costs', 'Multi-Region keys']) {
    await expect(page.getByRole('progressbar', { name: `${name} progress` })).toHaveAttribute('aria-valuetext', /^(\d) of \1 steps passed$/);
  }
  await expect(page.getByText('Completed')).toHaveCount(8);
  await shoot(page, 'list-done');
  if (!awsMissing) console.log(`learn.spec.ts: ${replayed} shown CLI commands run and compared`);
  await fs.rm(work, { recursive: true, force: true });
});

test('a call shows its request with the plaintext masked until revealed, its CLI twin and its event; reset schedules the keys for deletion', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await page.goto('/learn/secrets-in-code');
  const steps = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  // Progress was saved: the steps show as passed after a reload.
  await expect(steps.first().getByText('Passed', { exact: true })).toBeVisible();
  await steps.first().getByRole('button', { name: 'Run step again' }).click();
  await expect(steps.first().getByRole('status')).toContainText('Passed:');
  const create = steps.first().locator('details').first();
  await create.locator('summary').click();
  const arn = (JSON.parse((await create.getByLabel('CreateKey response JSON').textContent()) ?? '{}') as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
  await expect(create.getByLabel('CreateKey AWS CLI command')).toContainText(`aws kms create-key`);
  await expect(create.getByLabel('CreateKey AWS CLI command')).toContainText(`--endpoint-url ${baseURL}/api/kms`);
  await expect(create.getByLabel('CreateKey CloudTrail record')).toContainText('"eventName": "CreateKey"');

  await steps.nth(1).getByRole('button', { name: 'Run step again' }).click();
  await expect(steps.nth(1).getByRole('status')).toContainText('Passed:');
  const encrypt = steps.nth(1).locator('details').first();
  await encrypt.locator('summary').click();
  await expect(encrypt.getByLabel('Encrypt request JSON')).toContainText('hidden (24 bytes)');
  await encrypt.getByRole('button', { name: 'Reveal secrets' }).click();
  await expect(encrypt.getByLabel('Encrypt request JSON')).not.toContainText('hidden');
  await expectAccessible(page);
  await shoot(page, 'secrets-run');

  await page.getByRole('button', { name: 'Reset scenario' }).click();
  await page.getByRole('dialog', { name: 'Reset this scenario?' }).getByRole('button', { name: 'Schedule deletion and reset' }).click();
  await expect(page.getByText(/2 keys scheduled for deletion on \d{4}-\d\d-\d\d/)).toBeVisible();
  await expect(page.getByText('0 of 4 steps passed.')).toBeVisible();
  await expect(steps.first().getByText('Not run')).toBeVisible();

  const region = arn.split(':')[3];
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const described = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
  kms.destroy();
  expect(described.KeyMetadata?.KeyState).toBe('PendingDeletion');
  const days = (described.KeyMetadata!.DeletionDate!.getTime() - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(6.9);

  await page.goto('/learn');
  await expect(page.getByRole('progressbar', { name: 'Secrets in code progress' })).toHaveAttribute('aria-valuenow', '0');
});
