/**
 * What the inventory screen shows besides the rows — tab counts and filter options — and the first
 * screenful of a view, computed the same way by the server (for the first paint) and the browser.
 */
import type { Inventory, KeyRow } from './inventory-types';
import { applyView, distinctValues, type InventoryView, type Tab } from './inventory-view';

export interface FilterOptions {
  statuses: string[];
  specs: string[];
  usages: string[];
  origins: string[];
  tags: string[];
}

export interface InventorySummary {
  counts: Record<Tab, number>;
  options: FilterOptions;
}

/** Rows rendered before the full inventory reaches the browser: more than a tall screen holds. */
export const FIRST_SCREEN_ROWS = 40;
// The tag datalist stays useful, and small, in accounts with thousands of distinct tags.
const MAX_TAG_OPTIONS = 300;

// One summary per inventory snapshot: the server serves the same cached snapshot to every request.
const summaries = new WeakMap<readonly KeyRow[], InventorySummary>();

export function summarize(keys: readonly KeyRow[]): InventorySummary {
  let summary = summaries.get(keys);
  if (!summary) {
    summary = computeSummary(keys);
    summaries.set(keys, summary);
  }
  return summary;
}

function computeSummary(keys: readonly KeyRow[]): InventorySummary {
  let aws = 0;
  const tags = new Set<string>();
  for (const key of keys) {
    if (key.manager === 'AWS') aws++;
    if (tags.size < MAX_TAG_OPTIONS) {
      for (const [k, v] of Object.entries(key.tags)) {
        tags.add(k);
        tags.add(`${k}=${v}`);
      }
    }
  }
  return {
    counts: { customer: keys.length - aws, aws },
    options: {
      statuses: distinctValues(keys, (k) => k.state),
      specs: distinctValues(keys, (k) => k.spec),
      usages: distinctValues(keys, (k) => k.usage),
      origins: distinctValues(keys, (k) => k.origin),
      tags: [...tags].sort(),
    },
  };
}

/** The first screen of a view, for the server to render while the whole inventory streams in behind it. */
export interface FirstScreen extends InventorySummary {
  rows: KeyRow[];
  /** How many keys match the view in all. */
  matching: number;
  refreshedAt: number;
}

export function firstScreen(inventory: Inventory, view: InventoryView): FirstScreen {
  const rows = applyView(inventory.keys, view);
  return { ...summarize(inventory.keys), rows: rows.slice(0, FIRST_SCREEN_ROWS), matching: rows.length, refreshedAt: inventory.refreshedAt };
}
