import { describe, expect, it } from 'vitest';
import type { KeyRow } from './inventory-types';
import { DEFAULT_VIEW, applyView, parseView, viewToParams } from './inventory-view';

const row = (id: string, over: Partial<KeyRow> = {}): KeyRow => ({
  id,
  aliases: [],
  description: '',
  state: 'Enabled',
  manager: 'CUSTOMER',
  type: 'Symmetric',
  spec: 'SYMMETRIC_DEFAULT',
  usage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
  multiRegion: null,
  rotation: { enabled: false },
  createdAt: 1,
  tags: {},
  ...over,
});

const rows = [
  row('k1', { aliases: ['alias/payments/cards'], tags: { team: 'payments', env: 'prod' }, rotation: { enabled: true, periodDays: 365, nextAt: 5 }, createdAt: 3 }),
  row('k2', { aliases: ['alias/Platform'], description: 'Secrets for PAYMENTS api', state: 'Disabled', createdAt: 2 }),
  row('k3', { spec: 'RSA_2048', usage: 'SIGN_VERIFY', type: 'Asymmetric', rotation: null, tags: { team: 'release' }, createdAt: 5 }),
  row('k4', { aliases: ['alias/aws/s3'], manager: 'AWS', rotation: null, createdAt: 4 }),
];
const ids = (view: Partial<typeof DEFAULT_VIEW>) => applyView(rows, { ...DEFAULT_VIEW, ...view }).map((r) => r.id);

describe('inventory view', () => {
  it('round-trips through URL parameters, leaving defaults and foreign parameters alone', () => {
    const view = { ...DEFAULT_VIEW, q: 'pay ments', status: 'Disabled', rotation: 'on' as const, tag: 'team=payments', sort: 'created' as const, dir: 'desc' as const };
    const params = viewToParams(view, new URLSearchParams('region=eu-west-1&tab=aws'));
    expect(params.get('region')).toBe('eu-west-1');
    expect(params.has('tab')).toBe(false);
    expect(parseView(params)).toEqual(view);
    expect(viewToParams(DEFAULT_VIEW).toString()).toBe('');
  });

  it('ignores unknown values in a hand-edited URL', () => {
    expect(parseView({ sort: 'price', dir: 'up', tab: 'nope', rotation: 'sometimes' })).toEqual(DEFAULT_VIEW);
  });

  it('searches alias, id, description and tags, case-insensitively, every term', () => {
    expect(ids({ q: 'payments' })).toEqual(['k1', 'k2']);
    expect(ids({ q: 'PAYMENTS prod' })).toEqual(['k1']);
    expect(ids({ q: 'k3' })).toEqual(['k3']);
    expect(ids({ q: 'team=release' })).toEqual(['k3']);
  });

  it('separates customer and AWS managed keys by tab', () => {
    expect(ids({})).toEqual(['k1', 'k2', 'k3']);
    expect(ids({ tab: 'aws' })).toEqual(['k4']);
  });

  it('filters by status, spec, usage, rotation and tag', () => {
    expect(ids({ status: 'Disabled' })).toEqual(['k2']);
    expect(ids({ spec: 'RSA_2048' })).toEqual(['k3']);
    expect(ids({ usage: 'ENCRYPT_DECRYPT' })).toEqual(['k1', 'k2']);
    expect(ids({ rotation: 'on' })).toEqual(['k1']);
    expect(ids({ rotation: 'off' })).toEqual(['k2']);
    expect(ids({ rotation: 'na' })).toEqual(['k3']);
    expect(ids({ tag: 'team' })).toEqual(['k1', 'k3']);
    expect(ids({ tag: 'team=payments' })).toEqual(['k1']);
  });

  it('sorts by alias with unnamed keys last, by creation date, and both ways', () => {
    expect(ids({})).toEqual(['k1', 'k2', 'k3']);
    expect(ids({ sort: 'alias', dir: 'desc' })).toEqual(['k3', 'k2', 'k1']);
    expect(ids({ sort: 'created', dir: 'asc' })).toEqual(['k2', 'k1', 'k3']);
    expect(ids({ sort: 'created', dir: 'desc' })).toEqual(['k3', 'k1', 'k2']);
    expect(ids({ sort: 'rotation', dir: 'desc' })).toEqual(['k1', 'k2', 'k3']);
  });
});
