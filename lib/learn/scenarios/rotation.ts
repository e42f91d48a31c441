/** Scenario 5: automatic rotation, rotation on demand, the rotation history, and manual rotation by alias for imported key material. */
import crypto from 'node:crypto';
import {
  CreateAliasCommand,
  DecryptCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  UpdateAliasCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import { b64, createScenarioKey, fromB64 } from './helpers';

const text = (s: string) => new TextEncoder().encode(s);

/** An EXTERNAL key with 256 bits of material made here and wrapped with KMS's public wrapping key (RSAES_OAEP_SHA_256). */
async function importedKey(ctx: StepContext): Promise<KeyMetadata> {
  const key = await createScenarioKey(ctx, { Origin: 'EXTERNAL' });
  ctx.check(key.KeyState === 'PendingImport', `An EXTERNAL key starts PendingImport, this one is ${key.KeyState}.`);
  const params = await ctx.call(
    'GetParametersForImport',
    { KeyId: key.Arn!, WrappingAlgorithm: 'RSAES_OAEP_SHA_256' as const, WrappingKeySpec: 'RSA_2048' as const },
    (kms, i) => kms.send(new GetParametersForImportCommand(i)),
  );
  ctx.check(params.PublicKey && params.ImportToken, 'GetParametersForImport returned no wrapping key or import token.');
  const material = crypto.randomBytes(32);
  const wrapped = crypto.publicEncrypt(
    { key: crypto.createPublicKey({ key: Buffer.from(params.PublicKey), format: 'der', type: 'spki' }), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    material,
  );
  material.fill(0);
  await ctx.call(
    'ImportKeyMaterial',
    { KeyId: key.Arn!, ImportToken: params.ImportToken, EncryptedKeyMaterial: new Uint8Array(wrapped), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const },
    (kms, i) => kms.send(new ImportKeyMaterialCommand(i)),
  );
  return key;
}

export const rotation: ScenarioDefinition = {
  id: 'rotation',
  number: 5,
  title: 'Key rotation',
  summary: 'Turn on automatic rotation, rotate on demand, see the history, and rotate a key with imported material by moving its alias.',
  region: 'us-east-1',
  steps: [
    {
      id: 'automatic',
      title: 'Automatic rotation every 90 days',
      what: 'CreateKey, Encrypt a record (kept for later), EnableKeyRotation with RotationPeriodInDays 90, then GetKeyRotationStatus.',
      why: 'Rotation makes new key material on a schedule; the key id, ARN, aliases and policy stay the same, so nothing that uses the key changes. Periods run from 90 to 2,560 days (default 365).',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx);
        ctx.set('keyArn', key.Arn!);
        const out = await ctx.call('Encrypt', { KeyId: key.Arn!, Plaintext: text('invoice 2026-0042') }, (kms, i) => kms.send(new EncryptCommand(i)), { secretRequest: ['Plaintext'] });
        ctx.set('oldCiphertext', b64(out.CiphertextBlob!));
        await ctx.call('EnableKeyRotation', { KeyId: key.Arn!, RotationPeriodInDays: 90 }, (kms, i) => kms.send(new EnableKeyRotationCommand(i)));
        const status = await ctx.call('GetKeyRotationStatus', { KeyId: key.Arn! }, (kms, i) => kms.send(new GetKeyRotationStatusCommand(i)));
        ctx.check(status.KeyRotationEnabled === true, 'Rotation is not enabled.');
        ctx.check(status.RotationPeriodInDays === 90, `The period is ${status.RotationPeriodInDays} days, not 90.`);
        return `Rotation enabled every 90 days; next rotation ${status.NextRotationDate ? status.NextRotationDate.toISOString().slice(0, 10) : '(not reported)'}.`;
      },
    },
    {
      id: 'on-demand',
      title: 'Rotate now, and read the history',
      what: 'RotateKeyOnDemand, then ListKeyRotations.',
      why: 'On-demand rotation answers a suspected exposure without waiting for the schedule (a key allows a limited number of them); the history shows every rotation with its type and date.',
      async run(ctx: StepContext) {
        const keyArn = ctx.get('keyArn');
        await ctx.call('RotateKeyOnDemand', { KeyId: keyArn }, (kms, i) => kms.send(new RotateKeyOnDemandCommand(i)));
        const out = await ctx.call('ListKeyRotations', { KeyId: keyArn }, (kms, i) => kms.send(new ListKeyRotationsCommand(i)));
        const onDemand = (out.Rotations ?? []).filter((r) => r.RotationType === 'ON_DEMAND');
        ctx.check(onDemand.length >= 1, `ListKeyRotations shows ${out.Rotations?.length ?? 0} rotations and none ON_DEMAND.`);
        return `The history lists ${out.Rotations?.length} rotation(s), ${onDemand.length} on demand.`;
      },
    },
    {
      id: 'old-ciphertext',
      title: 'Old ciphertexts still decrypt',
      what: 'Decrypt the record encrypted before the rotation; Encrypt a new one.',
      why: 'KMS keeps every earlier key material of the key and picks the right one from the ciphertext: there is nothing to re-encrypt after a rotation.',
      async run(ctx: StepContext) {
        const keyArn = ctx.get('keyArn');
        const old = await ctx.call('Decrypt', { CiphertextBlob: fromB64(ctx.get('oldCiphertext')) }, (kms, i) => kms.send(new DecryptCommand(i)), { secretResponse: ['Plaintext'] });
        ctx.check(new TextDecoder().decode(old.Plaintext) === 'invoice 2026-0042', 'The pre-rotation record did not decrypt to itself.');
        const fresh = await ctx.call('Encrypt', { KeyId: keyArn, Plaintext: text('invoice 2026-0043') }, (kms, i) => kms.send(new EncryptCommand(i)), { secretRequest: ['Plaintext'] });
        ctx.check(fresh.KeyId === keyArn, `Encrypt used ${fresh.KeyId}.`);
        return 'The record from before the rotation decrypted with the same key ARN; new encryptions use the new material.';
      },
    },
    {
      id: 'imported',
      title: 'Imported material cannot rotate automatically',
      what: 'CreateKey with Origin EXTERNAL, GetParametersForImport, wrap 256 bits of material with the public wrapping key (RSAES_OAEP_SHA_256), ImportKeyMaterial, CreateAlias — then EnableKeyRotation is refused.',
      why: 'KMS cannot make new material for a key whose material you brought. The documented way is manual rotation: a new key with new material, and the alias moved to it.',
      async run(ctx: StepContext) {
        const key = await importedKey(ctx);
        const alias = `alias/learn/imported-${crypto.randomBytes(4).toString('hex')}`;
        await ctx.call('CreateAlias', { AliasName: alias, TargetKeyId: key.Arn! }, (kms, i) => kms.send(new CreateAliasCommand(i)));
        ctx.set('alias', alias);
        ctx.set('importedKeyArn', key.Arn!);
        const refused = await ctx.refused('EnableKeyRotation', { KeyId: key.Arn! }, (kms, i) => kms.send(new EnableKeyRotationCommand(i)), 'UnsupportedOperationException');
        const out = await ctx.call('Encrypt', { KeyId: alias, Plaintext: text('payroll batch 17') }, (kms, i) => kms.send(new EncryptCommand(i)), { secretRequest: ['Plaintext'] });
        ctx.check(out.KeyId === key.Arn, `Encrypt through ${alias} used ${out.KeyId}.`);
        ctx.set('importedCiphertext', b64(out.CiphertextBlob!));
        return `Material imported; EnableKeyRotation refused with ${refused.name}; ${alias} encrypts with the imported key.`;
      },
    },
    {
      id: 'manual-by-alias',
      title: 'Rotate manually by moving the alias',
      what: 'A second EXTERNAL key gets new material; UpdateAlias points the alias at it. Encrypt through the alias, and Decrypt the older ciphertext.',
      why: 'Applications that use the alias pick up the new key at once. The old key must stay enabled as long as data encrypted under it exists: the ciphertext names its key, not the alias.',
      async run(ctx: StepContext) {
        const alias = ctx.get('alias');
        const oldKey = ctx.get('importedKeyArn');
        const key = await importedKey(ctx);
        await ctx.call('UpdateAlias', { AliasName: alias, TargetKeyId: key.Arn! }, (kms, i) => kms.send(new UpdateAliasCommand(i)));
        const out = await ctx.call('Encrypt', { KeyId: alias, Plaintext: text('payroll batch 18') }, (kms, i) => kms.send(new EncryptCommand(i)), { secretRequest: ['Plaintext'] });
        ctx.check(out.KeyId === key.Arn, `After UpdateAlias, ${alias} still encrypts with ${out.KeyId}.`);
        const old = await ctx.call('Decrypt', { CiphertextBlob: fromB64(ctx.get('importedCiphertext')) }, (kms, i) => kms.send(new DecryptCommand(i)), { secretResponse: ['Plaintext'] });
        ctx.check(old.KeyId === oldKey, `The older ciphertext decrypted with ${old.KeyId}, not the first imported key.`);
        return `${alias} now names the new key; the older ciphertext still decrypts with the first key.`;
      },
    },
  ],
};
