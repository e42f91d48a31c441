import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  DescribeKeyCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { awsError, bytes, DAY, testEmulator, text } from './test-support';

async function setup() {
  const t = testEmulator();
  const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
  return { ...t, KeyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
}

describe('automatic rotation', () => {
  it('is off by default; enabling uses 365 days and reports the next rotation date', async () => {
    const { kms, KeyId, arn, now } = await setup();
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).toMatchObject({ KeyRotationEnabled: false, KeyId: arn });
    await kms.send(new EnableKeyRotationCommand({ KeyId }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365, NextRotationDate: new Date(now().getTime() + 365 * DAY) });
  });

  it('takes a period of 90–2560 days only', async () => {
    const { kms, KeyId } = await setup();
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 89 }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 2561 }))).rejects.toMatchObject(awsError('ValidationException'));
    await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).RotationPeriodInDays).toBe(90);
  });

  it('rotates when the clock passes the date, keeps every version, and old ciphertexts still decrypt', async () => {
    const { kms, KeyId, advance } = await setup();
    const before = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('year zero') }));
    await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }));
    advance(3 * 365 * DAY); // twelve rotations while nobody was looking
    const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId }));
    expect(Rotations).toHaveLength(12);
    expect(Rotations!.every((r) => r.RotationType === 'AUTOMATIC')).toBe(true);
    expect(Rotations!.at(-1)!.KeyMaterialState).toBe('CURRENT');
    const after = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('year three') }));
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }))).Plaintext)).toBe('year zero');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob }));
    expect(text(dec.Plaintext)).toBe('year three');
    expect(dec.KeyMaterialId).toBe(Rotations!.at(-1)!.KeyMaterialId);
    expect((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(Rotations!.at(-1)!.KeyMaterialId);
  });

  it('does not rotate a disabled key; it rotates once re-enabled past its date', async () => {
    const { kms, KeyId, advance } = await setup();
    await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }));
    await kms.send(new DisableKeyCommand({ KeyId }));
    advance(100 * DAY);
    await kms.send(new EnableKeyCommand({ KeyId }));
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId }))).Rotations).toHaveLength(1);
  });

  it('stops when disabled', async () => {
    const { kms, KeyId, advance } = await setup();
    await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }));
    await kms.send(new DisableKeyRotationCommand({ KeyId }));
    advance(365 * DAY);
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId }))).Rotations).toEqual([]);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).KeyRotationEnabled).toBe(false);
  });

  it('is refused on a disabled key (DisabledException) and a key pending deletion (KMSInvalidStateException)', async () => {
    const { kms, KeyId } = await setup();
    await kms.send(new DisableKeyCommand({ KeyId }));
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId }))).rejects.toMatchObject(awsError('DisabledException'));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
  });

  it('is symmetric-only: asymmetric and HMAC keys get UnsupportedOperationException', async () => {
    const { kms } = testEmulator();
    for (const [KeySpec, KeyUsage] of [['RSA_2048', 'SIGN_VERIFY'], ['HMAC_256', 'GENERATE_VERIFY_MAC']] as const) {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }));
      const KeyId = KeyMetadata!.KeyId;
      await expect(kms.send(new EnableKeyRotationCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
      await expect(kms.send(new GetKeyRotationStatusCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
      await expect(kms.send(new RotateKeyOnDemandCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
      await expect(kms.send(new ListKeyRotationsCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    }
  });
});

describe('on-demand rotation', () => {
  it('adds an ON_DEMAND version at once without moving the automatic schedule', async () => {
    const { kms, KeyId, now } = await setup();
    await kms.send(new EnableKeyRotationCommand({ KeyId }));
    const { NextRotationDate } = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
    expect(await kms.send(new RotateKeyOnDemandCommand({ KeyId }))).toMatchObject({ KeyId });
    const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId }));
    expect(Rotations).toEqual([expect.objectContaining({ KeyId, RotationType: 'ON_DEMAND', RotationDate: now(), KeyMaterialState: 'CURRENT' })]);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).NextRotationDate).toEqual(NextRotationDate);
  });

  it('lists the original material too with IncludeKeyMaterial ALL_KEY_MATERIAL, and pages', async () => {
    const { kms, KeyId } = await setup();
    for (let i = 0; i < 3; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
    const all = await kms.send(new ListKeyRotationsCommand({ KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
    expect(all.Rotations).toHaveLength(4);
    expect(all.Rotations![0].RotationType).toBeUndefined();
    const page1 = await kms.send(new ListKeyRotationsCommand({ KeyId, Limit: 2 }));
    expect(page1).toMatchObject({ Truncated: true });
    const page2 = await kms.send(new ListKeyRotationsCommand({ KeyId, Limit: 2, Marker: page1.NextMarker }));
    expect(page2.Rotations).toHaveLength(1);
    expect(page2.Truncated).toBe(false);
  });

  it('allows 25 on-demand rotations per key, then LimitExceededException', async () => {
    const { kms, KeyId } = await setup();
    for (let i = 0; i < 25; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
    await expect(kms.send(new RotateKeyOnDemandCommand({ KeyId }))).rejects.toMatchObject(awsError('LimitExceededException'));
  });
});
