/**
 * The sidebar's list of experiments: the name each shows (the user's rename, else its spec's name),
 * a search over names, tags and ids, filters by status, date and archive, and a distinguishing
 * hint for experiments whose shown names are the same (copies), so two rows never look identical.
 * Pure.
 */
import type { ExperimentListItem } from '../../../shared/api.js';

export type StatusFilter = 'all' | 'running' | 'done' | 'attention' | 'not-started';
export type DateFilter = 'any' | 'day' | 'week' | 'month';

export interface ListFilter {
  query: string;
  status: StatusFilter;
  date: DateFilter;
  /** Show archived experiments only (else they are hidden). */
  archived: boolean;
}

export const DEFAULT_FILTER: ListFilter = { query: '', status: 'all', date: 'any', archived: false };

export const STATUS_FILTERS: ReadonlyArray<{ id: StatusFilter; label: string }> = [
  { id: 'all', label: 'Any status' },
  { id: 'running', label: 'Running' },
  { id: 'done', label: 'Done' },
  { id: 'attention', label: 'Needs attention' },
  { id: 'not-started', label: 'Not started' },
];

export const DATE_FILTERS: ReadonlyArray<{ id: DateFilter; label: string; days: number }> = [
  { id: 'any', label: 'Any time', days: Infinity },
  { id: 'day', label: 'Last 24 hours', days: 1 },
  { id: 'week', label: 'Last 7 days', days: 7 },
  { id: 'month', label: 'Last 30 days', days: 30 },
];

/** The name an experiment shows: the user's rename, else its spec's name, else its id. */
export function shownName(item: Pick<ExperimentListItem, 'id' | 'name' | 'labels'>): string {
  return item.labels.name ?? (item.name.trim() === '' ? item.id : item.name);
}

const STATUS_MATCH: Record<StatusFilter, (s: ExperimentListItem['status']) => boolean> = {
  all: () => true,
  running: (s) => s === 'running',
  done: (s) => s === 'done',
  attention: (s) => s === 'bad' || s === 'partial' || s === 'error',
  'not-started': (s) => s === 'planned',
};

/** Whether an item passes the filter at time `now` (ms since the epoch). Every word of the query must match somewhere. */
export function matches(item: ExperimentListItem, f: ListFilter, now: number): boolean {
  if (item.labels.archived !== f.archived) return false;
  if (!STATUS_MATCH[f.status](item.status)) return false;
  const days = DATE_FILTERS.find((d) => d.id === f.date)?.days ?? Infinity;
  if (Number.isFinite(days)) {
    const t = Date.parse(item.createdAt);
    if (!Number.isFinite(t) || now - t > days * 86_400_000) return false;
  }
  const haystack = [shownName(item), item.name, item.id, ...item.labels.tags].join('\n').toLowerCase();
  return f.query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function filterItems(items: readonly ExperimentListItem[], f: ListFilter, now: number): ExperimentListItem[] {
  return items.filter((item) => matches(item, f, now));
}

/** Whether the filter differs from the default list (the sidebar then says so and offers Clear). */
export function isFiltered(f: ListFilter): boolean {
  return f.query.trim() !== '' || f.status !== 'all' || f.date !== 'any' || f.archived;
}

/**
 * Per item id, a short text that tells it apart from the other items showing the same name (or
 * the same first `visibleChars` characters, which is all a narrow sidebar shows): the last
 * characters of the name when those differ, else the id's hash. Items with a unique name get none.
 */
export function distinguishers(items: readonly ExperimentListItem[], visibleChars = 28): Map<string, string> {
  const groups = new Map<string, ExperimentListItem[]>();
  for (const item of items) {
    const key = shownName(item).slice(0, visibleChars).toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const out = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const names = group.map(shownName);
    const tailsDiffer = new Set(names).size === names.length && names.every((n) => n.length > visibleChars);
    for (const item of group) {
      const name = shownName(item);
      out.set(item.id, tailsDiffer ? `…${name.slice(-Math.min(16, name.length - visibleChars))}` : `#${hashOf(item.id)}`);
    }
  }
  return out;
}

/** The 8 hex digits of the spec hash that end an experiment id ("why-relu-1a2b3c4d" -> "1a2b3c4d"). */
function hashOf(id: string): string {
  return /-([0-9a-f]{8})$/.exec(id)?.[1] ?? id.slice(-8);
}

/** Tags typed as "a, b, c" -> ["a", "b", "c"] (the services trim and drop duplicates too). */
export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
