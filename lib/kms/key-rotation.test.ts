import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { awsError, bytes, DAY, testEmulator } from '@/lib/emulator/test-support';
import { listKeyActivity } from './key-activity';
import { loadKeyDetail } from './key-detail';
import { disableKey, enableKey } from './key-lifecycle';
import { ON_DEMAND_ROTATION_LIMIT } from './key-limits';
import { countOnDemandRotations, disableKeyRotation, enableKeyRotation, listKeyRotations, rotateKeyNow } from './key-rotation';

describe('key rotation', () => {
  it('enables rotation with a period, rotates now, and pages the history', async () => {
    const { kms, now, advance } = testEmulator();
    const KeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await enableKeyRotation(kms, KeyId, 180);
    const detail = await loadKeyDetail(kms, KeyId);
    expect(detail.row.rotation).toEqual({ enabled: true, periodDays: 180, nextAt: now().getTime() + 180 * DAY });
    for (let i = 0; i < 3; i++) {
      await rotateKeyNow(kms, KeyId);
      advance(1000);
    }
    const first = await listKeyRotations(kms, KeyId, { limit: 2 });
    expect(first.rotations).toHaveLength(2);
    expect(first.rotations.every((r) => r.type === 'ON_DEMAND' && r.at! > 0)).toBe(true);
    const second = await listKeyRotations(kms, KeyId, { limit: 2, marker: first.nextMarker });
    expect(second.rotations).toHaveLength(1);
    expect(second.nextMarker).toBeUndefined();
    expect(await countOnDemandRotations(kms, KeyId)).toBe(3);
    await disableKeyRotation(kms, KeyId);
    expect((await loadKeyDetail(kms, KeyId)).row.rotation).toEqual({ enabled: false });
  });

  it(`stops at ${ON_DEMAND_ROTATION_LIMIT} on-demand rotations with LimitExceededException`, async () => {
    const { kms } = testEmulator();
    const KeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (let i = 0; i < ON_DEMAND_ROTATION_LIMIT; i++) await rotateKeyNow(kms, KeyId);
    await expect(rotateKeyNow(kms, KeyId)).rejects.toMatchObject(awsError('LimitExceededException'));
    expect(await countOnDemandRotations(kms, KeyId)).toBe(ON_DEMAND_ROTATION_LIMIT);
  });

  it('refuses a period outside 90–2560 days', async () => {
    const { kms } = testEmulator();
    const KeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expect(enableKeyRotation(kms, KeyId, 89)).rejects.toMatchObject(awsError('ValidationException'));
  });
});

describe('key activity', () => {
  it("lists the key's CloudTrail events newest first, filters reads out, and pages with a token", async () => {
    const { kms, emulator, advance } = testEmulator();
    const cloudtrail = emulator.cloudTrailClient();
    const { KeyId, Arn } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    advance(1000);
    await disableKey(kms, KeyId!);
    advance(1000);
    await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') })).catch(() => undefined);
    advance(1000);
    await enableKey(kms, KeyId!);
    advance(1000);
    await loadKeyDetail(kms, KeyId!);

    const all = await listKeyActivity(cloudtrail, Arn!, { filter: 'all', pageSize: 50 });
    expect(all.events.map((e) => e.name).slice(-4)).toEqual(['EnableKey', 'Encrypt', 'DisableKey', 'CreateKey']);
    expect(all.events.some((e) => e.name === 'DescribeKey')).toBe(true);

    const noReads = await listKeyActivity(cloudtrail, Arn!, { filter: 'no-reads' });
    expect(noReads.events.map((e) => e.name)).toEqual(['EnableKey', 'Encrypt', 'DisableKey', 'CreateKey']);
    const refused = noReads.events[1];
    expect(refused).toMatchObject({ errorCode: 'DisabledException', caller: 'arn:aws:iam::111122223333:user/admin' });
    expect(noReads.events[0].at).toBeGreaterThan(noReads.events[1].at);

    const changes = await listKeyActivity(cloudtrail, Arn!, { filter: 'changes' });
    expect(changes.events.map((e) => e.name)).toEqual(['EnableKey', 'DisableKey', 'CreateKey']);

    const page1 = await listKeyActivity(cloudtrail, Arn!, { pageSize: 2 });
    expect(page1.events).toHaveLength(2);
    const page2 = await listKeyActivity(cloudtrail, Arn!, { pageSize: 50, nextToken: page1.nextToken });
    expect([...page1.events, ...page2.events].map((e) => e.id)).toEqual(all.events.map((e) => e.id));
  });
});
