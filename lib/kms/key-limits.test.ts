import { describe, expect, it } from 'vitest';
import { lifecycleAvailability, rotationKind } from './key-availability';
import type { KeyDetail } from './key-detail-types';
import { aliasNameError, deletionWindowError, descriptionError, rotationPeriodError, tagCountError, tagKeyError, tagValueError } from './key-limits';
import { planManualRotation } from './key-manual-rotation-plan';

describe('inline validation of KMS limits', () => {
  it('accepts valid alias names and explains each kind of invalid one', () => {
    expect(aliasNameError('alias/app/orders_db-2')).toBeNull();
    expect(aliasNameError('alias/' + 'a'.repeat(250))).toBeNull();
    expect(aliasNameError('orders')).toMatch(/begin with "alias\/"/);
    expect(aliasNameError('alias/')).toMatch(/1 to 250/);
    expect(aliasNameError('alias/' + 'a'.repeat(251))).toMatch(/at most 256/);
    expect(aliasNameError('alias/has space')).toMatch(/only letters/);
    expect(aliasNameError('alias/aws/s3')).toMatch(/reserved/);
  });

  it('checks tags against 128/256 characters, 50 tags and the aws: prefix', () => {
    expect(tagKeyError('team')).toBeNull();
    expect(tagKeyError('AWS:team')).toMatch(/reserved/);
    expect(tagKeyError('k'.repeat(129))).toMatch(/128/);
    expect(tagValueError('')).toBeNull();
    expect(tagValueError('v'.repeat(257))).toMatch(/256/);
    const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
    expect(tagCountError(fifty, 't3')).toBeNull();
    expect(tagCountError(fifty, 'new')).toMatch(/at most 50/);
  });

  it('checks the description, rotation period and deletion window', () => {
    expect(descriptionError('d'.repeat(8192))).toBeNull();
    expect(descriptionError('d'.repeat(8193))).toMatch(/8,192/);
    expect(rotationPeriodError('365')).toBeNull();
    expect(rotationPeriodError('89')).toMatch(/90 to 2,560/);
    expect(rotationPeriodError('2561')).toMatch(/90 to 2,560/);
    expect(rotationPeriodError('1.5')).toMatch(/whole number/);
    expect(deletionWindowError('7')).toBeNull();
    expect(deletionWindowError('31')).toMatch(/7 to 30/);
  });
});

const key = (row: Partial<KeyDetail['row']>, multiRegion: KeyDetail['multiRegion'] = null): Pick<KeyDetail, 'row' | 'multiRegion'> => ({
  row: { id: 'k', aliases: ['alias/a'], description: 'd', state: 'Enabled', manager: 'CUSTOMER', type: 'Symmetric', spec: 'SYMMETRIC_DEFAULT', usage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', multiRegion: null, rotation: null, createdAt: 1, tags: {}, ...row },
  multiRegion,
});

describe('what a key state allows', () => {
  it('makes AWS managed keys read-only and follows the key state', () => {
    const aws = lifecycleAvailability(key({ manager: 'AWS' }));
    expect(Object.values(aws).every((a) => !a.allowed && /read-only/.test(a.reason!))).toBe(true);
    const enabled = lifecycleAvailability(key({}));
    expect([enabled.enable.allowed, enabled.disable.allowed, enabled.scheduleDeletion.allowed, enabled.cancelDeletion.allowed]).toEqual([false, true, true, false]);
    const pending = lifecycleAvailability(key({ state: 'PendingDeletion' }));
    expect([pending.enable.allowed, pending.disable.allowed, pending.scheduleDeletion.allowed, pending.cancelDeletion.allowed]).toEqual([false, false, false, true]);
  });

  it('sends imported, asymmetric and HMAC keys to manual rotation', () => {
    expect(rotationKind(key({})).kind).toBe('automatic');
    expect(rotationKind(key({ origin: 'EXTERNAL' })).kind).toBe('manual');
    expect(rotationKind(key({ type: 'Asymmetric', spec: 'RSA_2048' })).kind).toBe('manual');
    expect(rotationKind(key({ type: 'HMAC', spec: 'HMAC_256' })).kind).toBe('manual');
    expect(rotationKind(key({ manager: 'AWS' })).kind).toBe('none');
  });

  it('plans a manual rotation: create, move each chosen alias, keep the old key', () => {
    const plan = planManualRotation(key({ origin: 'EXTERNAL', tags: { team: 'x' } }), ['alias/a', 'alias/b']);
    expect(plan.map((s) => s.kind)).toEqual(['create', 'move-alias', 'move-alias', 'keep-old']);
    expect(plan[0].detail).toMatch(/Pending import/);
    expect(plan[0].detail).toMatch(/1 tag /);
    expect(plan[3].detail).toMatch(/decrypt/);
  });
});
