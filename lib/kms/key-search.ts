/** Ranks keys for the command palette: exact alias or id first, then prefixes, then any substring. */
import type { KeyRow } from './inventory-types';
import { searchTextOf } from './inventory-view';

export function rankKeys(rows: readonly KeyRow[], query: string, limit = 8): KeyRow[] {
  const q = query.trim().toLowerCase();
  if (!q) return rows.slice(0, limit);
  const bare = q.startsWith('alias/') ? q.slice('alias/'.length) : q;
  const scored: Array<{ row: KeyRow; score: number }> = [];
  for (const row of rows) {
    const names = row.aliases.map((a) => a.toLowerCase());
    const id = row.id.toLowerCase();
    let score = 0;
    if (id === q || names.includes(q) || names.includes(`alias/${bare}`)) score = 4;
    else if (id.startsWith(q) || names.some((a) => a.startsWith(q) || a.startsWith(`alias/${bare}`))) score = 3;
    else if (names.some((a) => a.includes(bare))) score = 2;
    else if (searchTextOf(row).includes(q)) score = 1;
    if (score > 0) scored.push({ row, score });
  }
  scored.sort((a, b) => b.score - a.score || (a.row.aliases[0] ?? '\uffff').localeCompare(b.row.aliases[0] ?? '\uffff'));
  return scored.slice(0, limit).map((s) => s.row);
}
