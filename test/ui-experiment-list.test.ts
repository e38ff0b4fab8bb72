/**
 * The sidebar's search, filters and name disambiguation (src/renderer/src/lib/experiment-list.ts),
 * checked on hand-built lists: what each filter keeps is counted by hand.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentListItem } from '../src/shared/api.js';
import {
  DEFAULT_FILTER,
  distinguishers,
  filterItems,
  isFiltered,
  parseTags,
  shownName,
  type ListFilter,
} from '../src/renderer/src/lib/experiment-list.js';

const NOW = Date.parse('2026-12-06T12:00:00.000Z');

function item(
  id: string,
  over: Partial<ExperimentListItem> & { tags?: string[]; shown?: string; archived?: boolean } = {},
): ExperimentListItem {
  const { tags = [], shown = null, archived = false, ...rest } = over;
  return {
    id,
    name: id.replace(/-[0-9a-f]{8}$/, ''),
    createdAt: '2026-12-06T10:00:00.000Z',
    engineVersion: '0.1.0',
    runCount: 4,
    completedRuns: 4,
    status: 'done',
    counts: null,
    labels: { name: shown, tags, archived, copiedFrom: null },
    ...rest,
  } as ExperimentListItem;
}

const list = [
  item('relu-vs-sigmoid-11111111', { tags: ['lecture'] }),
  item('dropout-sweep-22222222', { status: 'running', shown: 'Dropout for the paper' }),
  item('old-mnist-33333333', { createdAt: '2026-10-01T00:00:00.000Z', status: 'bad' }),
  item('hidden-44444444', { archived: true, tags: ['lecture'] }),
  item('fresh-55555555', { status: 'planned', createdAt: '2026-12-05T13:00:00.000Z' }),
];
const ids = (f: Partial<ListFilter>) => filterItems(list, { ...DEFAULT_FILTER, ...f }, NOW).map((i) => i.id.split('-')[0]);

describe('the sidebar filter', () => {
  it('hides archived experiments by default and shows only them with the archive filter', () => {
    expect(ids({})).toEqual(['relu', 'dropout', 'old', 'fresh']);
    expect(ids({ archived: true })).toEqual(['hidden']);
  });

  it('searches shown names, spec names, tags and ids, every word, ignoring case', () => {
    expect(ids({ query: 'PAPER' })).toEqual(['dropout']);
    expect(ids({ query: 'dropout-sweep' })).toEqual(['dropout']);
    expect(ids({ query: 'lecture' })).toEqual(['relu']);
    expect(ids({ query: 'relu lecture' })).toEqual(['relu']);
    expect(ids({ query: 'relu paper' })).toEqual([]);
    expect(ids({ query: '33333333' })).toEqual(['old']);
  });

  it('filters by status', () => {
    expect(ids({ status: 'running' })).toEqual(['dropout']);
    expect(ids({ status: 'attention' })).toEqual(['old']);
    expect(ids({ status: 'not-started' })).toEqual(['fresh']);
    expect(ids({ status: 'done' })).toEqual(['relu']);
  });

  it('filters by creation date relative to now', () => {
    expect(ids({ date: 'day' })).toEqual(['relu', 'dropout', 'fresh']);
    expect(ids({ date: 'week' })).toEqual(['relu', 'dropout', 'fresh']);
    expect(ids({ date: 'month' })).toEqual(['relu', 'dropout', 'fresh']);
    expect(filterItems([item('x-66666666', { createdAt: '2026-12-05T11:59:00.000Z' })], { ...DEFAULT_FILTER, date: 'day' }, NOW)).toEqual(
      [],
    );
    expect(filterItems([item('x-66666666', { createdAt: '' })], { ...DEFAULT_FILTER, date: 'week' }, NOW)).toEqual([]);
  });

  it('says when the list is filtered', () => {
    expect(isFiltered(DEFAULT_FILTER)).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTER, query: '  ' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTER, archived: true })).toBe(true);
  });
});

describe('names', () => {
  it("shows the rename, else the spec's name, else the id (never a blank)", () => {
    expect(shownName(item('a-11111111', { shown: 'Renamed' }))).toBe('Renamed');
    expect(shownName(item('a-11111111'))).toBe('a');
    expect(shownName(item('a-11111111', { name: '   ' }))).toBe('a-11111111');
  });

  it('tells apart copies with the same name by their hash, and long names by their differing tails', () => {
    const copies = [item('sweep-aaaaaaaa', { name: 'Sweep' }), item('sweep-bbbbbbbb', { name: 'Sweep' }), item('other-cccccccc')];
    expect(Object.fromEntries(distinguishers(copies))).toEqual({ 'sweep-aaaaaaaa': '#aaaaaaaa', 'sweep-bbbbbbbb': '#bbbbbbbb' });
    const long = 'Learning-rate sweep over five optimizers';
    const tails = [item('l-11111111', { name: `${long}, seed set A` }), item('l-22222222', { name: `${long}, seed set B` })];
    const d = distinguishers(tails, 28);
    expect(d.get('l-11111111')).toMatch(/A$/);
    expect(d.get('l-22222222')).toMatch(/B$/);
    expect(d.get('l-11111111')).not.toBe(d.get('l-22222222'));
  });

  it('parses typed tags', () => {
    expect(parseTags(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseTags('')).toEqual([]);
  });
});
