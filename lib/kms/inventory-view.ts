/**
 * A view of the inventory — tab, search, filters and sort — as it lives in the URL, and how it narrows
 * and orders the rows. Pure: the server page, the client table and the tests share it.
 */
import type { KeyRow } from './inventory-types';

export const SORT_KEYS = ['alias', 'id', 'status', 'type', 'spec', 'usage', 'origin', 'multiRegion', 'rotation', 'created', 'tags'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export type Tab = 'customer' | 'aws';
export type RotationFilter = 'on' | 'off' | 'na';

export interface InventoryView {
  tab: Tab;
  q: string;
  status: string;
  spec: string;
  usage: string;
  origin: string;
  rotation: RotationFilter | '';
  /** `key` (has the tag) or `key=value`. */
  tag: string;
  sort: SortKey;
  dir: SortDir;
}

export const DEFAULT_VIEW: InventoryView = { tab: 'customer', q: '', status: '', spec: '', usage: '', origin: '', rotation: '', tag: '', sort: 'alias', dir: 'asc' };

/** The URL parameters a view owns; anything else in the URL (region …) is left alone. */
const PARAMS = ['tab', 'q', 'status', 'spec', 'usage', 'origin', 'rotation', 'tag', 'sort', 'dir'] as const;

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function read(source: ParamSource, name: string): string {
  if (source instanceof URLSearchParams) return source.get(name) ?? '';
  const value = source[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(value) ? (value as T) : fallback);

export function parseView(source: ParamSource): InventoryView {
  return {
    tab: oneOf(read(source, 'tab'), ['customer', 'aws'], 'customer'),
    q: read(source, 'q').slice(0, 256),
    status: read(source, 'status'),
    spec: read(source, 'spec'),
    usage: read(source, 'usage'),
    origin: read(source, 'origin'),
    rotation: oneOf(read(source, 'rotation'), ['on', 'off', 'na', ''], ''),
    tag: read(source, 'tag'),
    sort: oneOf(read(source, 'sort'), SORT_KEYS, DEFAULT_VIEW.sort),
    dir: oneOf(read(source, 'dir'), ['asc', 'desc'], DEFAULT_VIEW.dir),
  };
}

/** `base` with the view's parameters replaced; defaults are left out so plain links stay short. */
export function viewToParams(view: InventoryView, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const name of PARAMS) {
    const value = view[name];
    if (value === '' || value === DEFAULT_VIEW[name]) params.delete(name);
    else params.set(name, value);
  }
  return params;
}

// Lower-cased haystacks, built once per row object: searching 10,000 rows per keystroke stays cheap.
const haystacks = new WeakMap<KeyRow, string>();

export function searchTextOf(row: KeyRow): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    const tags = Object.entries(row.tags).map(([k, v]) => `${k}=${v}`);
    text = [row.id, ...row.aliases, row.description, ...tags].join('\n').toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

export function rotationLabel(row: KeyRow): RotationFilter {
  if (!row.rotation) return 'na';
  return row.rotation.enabled ? 'on' : 'off';
}

export function matchesTag(row: KeyRow, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return Object.hasOwn(row.tags, filter);
  const key = filter.slice(0, eq);
  return Object.hasOwn(row.tags, key) && row.tags[key] === filter.slice(eq + 1);
}

/** Rows of the view's tab that match its search and filters, before sorting. */
export function filterRows(rows: readonly KeyRow[], view: InventoryView): KeyRow[] {
  const manager = view.tab === 'aws' ? 'AWS' : 'CUSTOMER';
  // Every whitespace-separated term must match somewhere (alias, id, description or a tag).
  const terms = view.q.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(
    (row) =>
      row.manager === manager &&
      (!view.status || row.state === view.status) &&
      (!view.spec || row.spec === view.spec) &&
      (!view.usage || row.usage === view.usage) &&
      (!view.origin || row.origin === view.origin) &&
      (!view.rotation || rotationLabel(row) === view.rotation) &&
      (!view.tag || matchesTag(row, view.tag)) &&
      (terms.length === 0 || terms.every((term) => searchTextOf(row).includes(term))),
  );
}

type Comparable = string | number;

const SORT_VALUE: Record<SortKey, (row: KeyRow) => Comparable> = {
  // Keys without an alias sort after the named ones (in ascending order), as people look for names first.
  alias: (row) => (row.aliases[0] ?? '\uffff').toLowerCase(),
  id: (row) => row.id,
  status: (row) => row.state,
  type: (row) => row.type,
  spec: (row) => row.spec,
  usage: (row) => row.usage,
  origin: (row) => row.origin,
  multiRegion: (row) => row.multiRegion ?? '',
  rotation: (row) => (row.rotation ? (row.rotation.enabled ? `1:${String(row.rotation.nextAt ?? 0).padStart(15, '0')}` : '0') : ''),
  created: (row) => row.createdAt,
  tags: (row) => Object.keys(row.tags).length,
};

export function sortRows(rows: KeyRow[], sort: SortKey, dir: SortDir): KeyRow[] {
  const value = SORT_VALUE[sort];
  const sign = dir === 'asc' ? 1 : -1;
  // Precompute the keys: 10,000 rows × ~14 comparisons each would otherwise recompute them 140,000 times.
  const decorated = rows.map((row) => ({ row, key: value(row) }));
  decorated.sort((a, b) => {
    // Plain code-unit order, as the AWS console sorts: 3× faster than Intl.Collator over 10,000 rows.
    const primary = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    // Ties break on key id so the order is stable across reloads.
    return sign * primary || (a.row.id < b.row.id ? -1 : 1);
  });
  return decorated.map((d) => d.row);
}

export function applyView(rows: readonly KeyRow[], view: InventoryView): KeyRow[] {
  return sortRows(filterRows(rows, view), view.sort, view.dir);
}

/** Distinct values of a field across rows, sorted: the options a filter offers. */
export function distinctValues(rows: readonly KeyRow[], pick: (row: KeyRow) => string): string[] {
  const values = new Set<string>();
  for (const row of rows) {
    const value = pick(row);
    if (value) values.add(value);
  }
  return [...values].sort();
}
