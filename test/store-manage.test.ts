/**
 * Managing stored experiments (src/services/store/manage.ts, meta.ts): rename, tag and archive are
 * labels in meta.json that leave experiment.json, the spec hash and the folder id untouched (a
 * resume still finds the experiment); duplicate makes a new experiment under a free name; delete
 * moves the folder whole to <store>/.trash and restore moves it back; an experiment whose writer
 * lock is held (being trained, by any process) cannot be renamed or deleted.
 */
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manageHandlers } from '../src/services/app/manage-handlers.js';
import {
  archiveExperiment,
  duplicateExperiment,
  ExperimentStore,
  listTrash,
  META_FILE,
  readMeta,
  renameExperiment,
  restoreExperiment,
  specHashOf,
  StoreError,
  tagExperiment,
  trashEntryPath,
  trashExperiment,
} from '../src/services/store/index.js';
import { listExperiments } from '../src/services/store/reader.js';
import { RunClaimBook } from '../src/services/store/run-claims.js';
import { testSpec } from './fixtures/store/plan.js';

const tmpDirs: string[] = [];
afterAll(async () => {
  for (const d of tmpDirs) await fs.rm(d, { recursive: true, force: true });
});

/** A store with one experiment (no runs); the writer lock released. */
async function storeWithOne(name = 'Relu vs tanh') {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ablate-manage-'));
  tmpDirs.push(root);
  const store = new ExperimentStore(root);
  const spec = testSpec(name);
  const handle = await store.createOrOpen(spec, specHashOf(spec), '0.1.0');
  await handle.close();
  return { root, store, spec, id: handle.id, dir: handle.dir };
}

describe('rename, tag and archive', () => {
  it('write labels beside experiment.json, never the spec, its hash or the folder', async () => {
    const { store, spec, id, dir, root } = await storeWithOne();
    const before = readFileSync(path.join(dir, 'experiment.json'), 'utf8');
    await renameExperiment(store, id, '  Baseline   for the talk ');
    await tagExperiment(store, id, ['talk', ' lr sweep ', 'TALK', '']);
    await archiveExperiment(store, id, true);
    expect(readFileSync(path.join(dir, 'experiment.json'), 'utf8')).toBe(before);
    expect((await readMeta(dir)).meta).toEqual({
      name: 'Baseline for the talk',
      tags: ['talk', 'lr sweep'],
      archived: true,
      copiedFrom: null,
    });
    expect(JSON.parse(readFileSync(path.join(dir, META_FILE), 'utf8'))).toMatchObject({ format: 'ablate-experiment-meta/1' });
    // The same spec run again reopens the same folder (a resume), labels kept.
    const again = await store.createOrOpen(spec, specHashOf(spec), '0.1.0');
    expect(again.resumed).toBe(true);
    expect(again.id).toBe(id);
    await again.close();
    const [listed] = await listExperiments(root);
    expect(listed.id).toBe(id);
    expect(listed.name).toBe(spec.name);
  });

  it("renaming to the spec's own name (or null) clears the label", async () => {
    const { store, id, dir, spec } = await storeWithOne();
    await renameExperiment(store, id, 'Other');
    await renameExperiment(store, id, spec.name);
    expect((await readMeta(dir)).meta.name).toBeNull();
    await renameExperiment(store, id, 'Other');
    await renameExperiment(store, id, null);
    expect((await readMeta(dir)).meta.name).toBeNull();
  });

  it('refuses an empty or control-character name and bad tags, naming the problem; nothing changes', async () => {
    const { store, id, dir } = await storeWithOne();
    await renameExperiment(store, id, 'Kept');
    await expect(renameExperiment(store, id, '   ')).rejects.toThrow(/cannot rename the experiment: the name is empty/);
    await expect(renameExperiment(store, id, 'a\u0007b')).rejects.toThrow(/control character/);
    await expect(tagExperiment(store, id, ['a,b'])).rejects.toThrow(/contains a comma/);
    await expect(tagExperiment(store, id, ['x'.repeat(41)])).rejects.toThrow(/longer than 40 characters/);
    await expect(
      tagExperiment(
        store,
        id,
        Array.from({ length: 21 }, (_, i) => `t${i}`),
      ),
    ).rejects.toThrow(/21 tags \(at most 20\)/);
    expect((await readMeta(dir)).meta).toMatchObject({ name: 'Kept', tags: [] });
  });

  it('an unknown experiment is a StoreError, not a new folder', async () => {
    const { store, root } = await storeWithOne();
    await expect(renameExperiment(store, 'no-such-1234', 'x')).rejects.toBeInstanceOf(StoreError);
    await expect(archiveExperiment(store, 'no-such-1234', true)).rejects.toBeInstanceOf(StoreError);
    expect(await fs.readdir(root)).toHaveLength(1);
  });

  it('a damaged meta.json reads as the defaults with an error, and the next update replaces it', async () => {
    const { store, id, dir } = await storeWithOne();
    await fs.writeFile(path.join(dir, META_FILE), '{"name": "half');
    const damaged = await readMeta(dir);
    expect(damaged.meta).toEqual({ name: null, tags: [], archived: false, copiedFrom: null });
    expect(damaged.error).toMatch(/meta\.json/);
    await tagExperiment(store, id, ['ok']);
    expect(await readMeta(dir)).toEqual({ meta: { name: null, tags: ['ok'], archived: false, copiedFrom: null } });
  });

  it('concurrent updates of one experiment all land (read-change-write is serialized)', async () => {
    const { store, id, dir } = await storeWithOne();
    await Promise.all([renameExperiment(store, id, 'N'), tagExperiment(store, id, ['a']), archiveExperiment(store, id, true)]);
    expect((await readMeta(dir)).meta).toMatchObject({ name: 'N', tags: ['a'], archived: true });
  });
});

describe('duplicate', () => {
  it('makes a new experiment under a free name, no runs, same spec otherwise, tags kept', async () => {
    const { store, root, id, spec } = await storeWithOne('Sweep');
    await tagExperiment(store, id, ['t']);
    const first = await duplicateExperiment(store, id, '0.1.0');
    const second = await duplicateExperiment(store, first, '0.1.0');
    expect(new Set([id, first, second]).size).toBe(3);
    const listing = await listExperiments(root);
    expect(listing.map((e) => e.name).sort()).toEqual(['Sweep', 'Sweep (copy 2)', 'Sweep (copy)']);
    const copy = JSON.parse(readFileSync(path.join(store.experimentDir(first), 'experiment.json'), 'utf8'));
    expect({ ...copy.spec, name: spec.name }).toEqual(spec);
    expect(copy.specHash).not.toBe(specHashOf(spec));
    expect((await readMeta(store.experimentDir(first))).meta).toEqual({ name: null, tags: ['t'], archived: false, copiedFrom: id });
    expect((await readMeta(store.experimentDir(second))).meta.copiedFrom).toBe(first);
  });

  it('copies a renamed experiment under its shown name', async () => {
    const { store, id, root } = await storeWithOne('Spec name');
    await renameExperiment(store, id, 'Shown');
    const copy = await duplicateExperiment(store, id, '0.1.0');
    expect((await listExperiments(root)).find((e) => e.id === copy)?.name).toBe('Shown (copy)');
  });
});

describe('delete to the store trash and restore', () => {
  it('moves the folder whole to .trash, hides it from the list, and restores it intact', async () => {
    const { store, root, id, dir } = await storeWithOne();
    await renameExperiment(store, id, 'Gone soon');
    const files = await fs.readdir(dir);
    const entry = await trashExperiment(store, id, new Date('2026-12-06T00:15:12.123Z'));
    expect(entry).toMatchObject({ trashId: `20261206T001512123Z.${id}`, id, name: 'Gone soon', deletedAt: '2026-12-06T00:15:12.123Z' });
    expect(entry.path).toBe(path.join(root, '.trash', entry.trashId));
    expect(await listExperiments(root)).toEqual([]);
    await expect(fs.stat(dir)).rejects.toThrow(/ENOENT/);
    expect((await fs.readdir(entry.path)).sort()).toEqual(files.filter((f) => f !== '.writer.lock').sort());
    const trash = await listTrash(store);
    expect(trash.map(({ trashId, name }) => ({ trashId, name }))).toEqual([{ trashId: entry.trashId, name: 'Gone soon' }]);

    expect(await restoreExperiment(store, entry.trashId)).toBe(id);
    expect((await listExperiments(root)).map((e) => e.id)).toEqual([id]);
    expect((await readMeta(dir)).meta.name).toBe('Gone soon');
    expect(await listTrash(store)).toEqual([]);
  });

  it('lists the trash newest first and ignores what is not an entry', async () => {
    const { store, root, id } = await storeWithOne('A');
    const spec = testSpec('B');
    const b = await store.createOrOpen(spec, specHashOf(spec), '0.1.0');
    await b.close();
    await trashExperiment(store, id, new Date('2026-01-01T00:00:00.000Z'));
    await trashExperiment(store, b.id, new Date('2026-02-01T00:00:00.000Z'));
    await fs.mkdir(path.join(root, '.trash', 'not-an-entry'));
    expect((await listTrash(store)).map((e) => e.name)).toEqual(['B', 'A']);
  });

  it('refuses to restore over an experiment that exists again, and a name that is not an entry', async () => {
    const { store, spec, id } = await storeWithOne();
    const entry = await trashExperiment(store, id);
    const again = await store.createOrOpen(spec, specHashOf(spec), '0.1.0');
    await again.close();
    await expect(restoreExperiment(store, entry.trashId)).rejects.toThrow(/exists again/);
    expect((await listTrash(store)).map((e) => e.trashId)).toEqual([entry.trashId]);
    expect(() => trashEntryPath(store, '../../etc')).toThrow(/not the name of a trash entry/);
    await expect(restoreExperiment(store, `20260101T000000000Z.${id}x`)).rejects.toThrow(/no such entry/);
  });

  it('refuses to delete or rename an experiment whose writer lock is held (being trained)', async () => {
    const { store, spec, id, dir } = await storeWithOne();
    const writer = await store.createOrOpen(spec, specHashOf(spec), '0.1.0');
    try {
      await expect(trashExperiment(store, id)).rejects.toThrow(/cannot delete the experiment while it is being trained/);
      await expect(renameExperiment(store, id, 'x')).rejects.toThrow(/cannot rename the experiment while it is being trained/);
      await tagExperiment(store, id, ['tags may change mid-run']);
    } finally {
      await writer.close();
    }
    expect(await fs.readdir(dir)).toContain('experiment.json');
    expect((await readMeta(dir)).meta.name).toBeNull();
    await trashExperiment(store, id);
    await expect(fs.stat(dir)).rejects.toThrow(/ENOENT/);
  });
  it('refuses to delete or rename an experiment whose runs another process claims (a cluster task)', async () => {
    // Processes started with --claim or --shard open the experiment shared (no writer lock): their
    // live run claims are what says the experiment is being trained.
    const { store, spec, id, dir } = await storeWithOne();
    const task = await store.createOrOpen(spec, specHashOf(spec), '0.1.0', { shared: true });
    const claims = new RunClaimBook(dir);
    expect((await claims.take('relu-s0')).held).toBe(true);
    try {
      await expect(trashExperiment(store, id)).rejects.toThrow(
        /cannot delete the experiment while it is being trained: run relu-s0 is claimed by/,
      );
      await expect(renameExperiment(store, id, 'x')).rejects.toThrow(/cannot rename the experiment while it is being trained/);
    } finally {
      await claims.releaseAll();
      await task.close();
    }
    expect(await fs.readdir(dir)).toContain('experiment.json');
    await trashExperiment(store, id);
    await expect(fs.stat(dir)).rejects.toThrow(/ENOENT/);
  });
});

describe('the Api handlers', () => {
  it('refuse an experiment this process trains, by name, before touching the store', async () => {
    const { store, id, dir } = await storeWithOne();
    const h = manageHandlers({ store, isRunning: (x) => x === id });
    await expect(h.deleteExperiment(id)).rejects.toThrow(/cannot delete ".*" while it is training: cancel its runs first/);
    await expect(h.renameExperiment(id, 'x')).rejects.toThrow(/cannot rename .* while it is training/);
    expect(await fs.readdir(dir)).toContain('experiment.json');
  });

  it('without a system trash, delete answers the store trash entry, which restores', async () => {
    const { store, id, root } = await storeWithOne();
    const h = manageHandlers({ store, isRunning: () => false });
    const deleted = await h.deleteExperiment(id);
    expect(deleted.where).toBe('store');
    expect(await h.listTrash()).toEqual([expect.objectContaining({ trashId: deleted.trashId, id })]);
    expect(await h.restoreExperiment(deleted.trashId!)).toEqual({ experimentId: id });
    expect((await listExperiments(root)).map((e) => e.id)).toEqual([id]);
  });

  it('with a system trash, hands it the entry; when that fails, says where the experiment is', async () => {
    const { store, id } = await storeWithOne();
    const given: string[] = [];
    const h = manageHandlers({ store, isRunning: () => false, trashItem: async (p) => void given.push(p) });
    expect(await h.deleteExperiment(id)).toEqual({ where: 'os', trashId: null });
    expect(given).toEqual([expect.stringMatching(new RegExp(`\\.trash/\\d{8}T\\d{9}Z\\.${id}$`))]);

    const other = await storeWithOne();
    const failing = manageHandlers({
      store: other.store,
      isRunning: () => false,
      trashItem: async () => Promise.reject(new Error('no trash here')),
    });
    await expect(failing.deleteExperiment(other.id)).rejects.toThrow(
      /moved to the store's trash .* but not to the system trash: no trash here/,
    );
    expect(await listTrash(other.store)).toHaveLength(1);
  });
});
