import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN_ROWS, firstScreen, summarize } from './inventory-summary';
import type { Inventory, KeyRow } from './inventory-types';
import { DEFAULT_VIEW, applyView } from './inventory-view';

const row = (i: number): KeyRow => ({
  id: `key-${String(i).padStart(3, '0')}`,
  aliases: i % 2 ? [`alias/k${i}`] : [],
  description: '',
  state: i % 5 ? 'Enabled' : 'Disabled',
  manager: i % 10 ? 'CUSTOMER' : 'AWS',
  type: 'Symmetric',
  spec: i % 3 ? 'SYMMETRIC_DEFAULT' : 'RSA_2048',
  usage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
  multiRegion: null,
  rotation: null,
  createdAt: i,
  tags: { team: `t${i % 4}` },
});

describe('inventory summary', () => {
  const keys = Array.from({ length: 100 }, (_, i) => row(i));
  const inventory: Inventory = { scope: { account: 'a', region: 'r' }, keys, refreshedAt: 42, loadMs: 1, requests: 1, throttledRetries: 0 };

  it('counts both tabs and offers each distinct filter value once', () => {
    const summary = summarize(keys);
    expect(summary.counts).toEqual({ customer: 90, aws: 10 });
    expect(summary.options.statuses).toEqual(['Disabled', 'Enabled']);
    expect(summary.options.specs).toEqual(['RSA_2048', 'SYMMETRIC_DEFAULT']);
    expect(summary.options.tags).toEqual(['team', 'team=t0', 'team=t1', 'team=t2', 'team=t3']);
    expect(summarize(keys)).toBe(summary);
  });

  it('gives the server the same first rows the browser computes from the whole inventory', () => {
    const view = { ...DEFAULT_VIEW, sort: 'created' as const, dir: 'desc' as const, status: 'Enabled' };
    const first = firstScreen(inventory, view);
    const all = applyView(keys, view);
    expect(first.rows).toEqual(all.slice(0, FIRST_SCREEN_ROWS));
    expect(first.matching).toBe(all.length);
    expect(first.refreshedAt).toBe(42);
  });
});
