/**
 * Managing the experiments of a store: rename, tag and archive (meta.json, meta.ts: the spec, its
 * hash and the folder id never change), duplicate (a new experiment with the same spec under a new
 * name, no runs yet), delete to the store's trash and restore from it. See docs/store.md.
 *
 * The trash is `<store>/.trash/`: each deleted experiment folder moves there whole, renamed
 * `<deleted-at>.<experiment id>` (deleted-at as 20261206T001512123Z), by one rename on the same
 * file system, so a crash leaves it either in place or in the trash, never half of it. Readers
 * skip dot names, so a trashed experiment disappears from every listing; restoring renames it
 * back. Deleting and renaming take the experiment's writer lock (lock.ts) for their duration and
 * refuse while another process's run claim is live (run-claims.ts): an experiment being trained
 * by any process (this one, `ablate run`, a cluster job) is refused with the holder named. Tags
 * and the archive flag are labels only and may change mid-run.
 *
 * Async, main thread.
 */
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { ensureDir, fsyncDir } from './atomic.js';
import { specHashOf } from './canonical.js';
import { errnoCode, StoreError, wrapIoError } from './errors.js';
import type { ExperimentStore } from './experiment-store.js';
import { exists, isObject, readJsonIfExists, visibleSubdirs } from './files.js';
import { experimentId } from './ids.js';
import { EXPERIMENT_FILE, LOCK_FILE, TRASH_DIR } from './layout.js';
import { acquireLock } from './lock.js';
import { holderText, readRunClaims } from './run-claims.js';
import { cleanName, cleanTags, MAX_NAME_LENGTH, readMeta, updateMeta, type ExperimentMeta } from './meta.js';
import { readStoredExperiment } from './reader.js';

/** A trashed experiment's entry name: its deletion time, a dot, its id. */
const TRASH_ENTRY = /^(\d{8}T\d{9}Z)\.([A-Za-z0-9][A-Za-z0-9._=,+-]*)$/;

export interface TrashEntry {
  /** The entry's folder name in the trash: what restore takes. */
  trashId: string;
  /** The experiment's id (its folder name once restored). */
  id: string;
  /** Its display name (meta name, else spec name; the id when experiment.json cannot be read). */
  name: string;
  deletedAt: string;
  path: string;
}

/** Sets (or, with null or the spec's own name, clears) the name shown for an experiment. */
export async function renameExperiment(store: ExperimentStore, id: string, name: string | null): Promise<ExperimentMeta> {
  const dir = store.experimentDir(id);
  const stored = await readStoredExperiment(dir);
  let shown: string | null = null;
  if (name !== null) {
    const c = cleanName(name);
    if ('problem' in c) throw new StoreError(dir, `cannot rename the experiment: ${c.problem}`);
    shown = c.name === stored.spec.name ? null : c.name;
  }
  return withWriterLock(dir, 'rename', () => updateMeta(dir, (m) => ({ ...m, name: shown })));
}

export async function tagExperiment(store: ExperimentStore, id: string, tags: readonly string[]): Promise<ExperimentMeta> {
  const dir = store.experimentDir(id);
  await readStoredExperiment(dir);
  const c = cleanTags(tags);
  if ('problem' in c) throw new StoreError(dir, `cannot tag the experiment: ${c.problem}`);
  return updateMeta(dir, (m) => ({ ...m, tags: c.tags }));
}

export async function archiveExperiment(store: ExperimentStore, id: string, archived: boolean): Promise<ExperimentMeta> {
  const dir = store.experimentDir(id);
  await readStoredExperiment(dir);
  return updateMeta(dir, (m) => ({ ...m, archived }));
}

/**
 * A new experiment with the same spec under a name no experiment of the store has ("X (copy)",
 * "X (copy 2)", ...), hence a new spec hash and folder; no runs; the source's tags. Returns its id.
 */
export async function duplicateExperiment(store: ExperimentStore, id: string, engineVersion: string): Promise<string> {
  const source = await readStoredExperiment(store.experimentDir(id));
  const { meta } = await readMeta(store.experimentDir(id));
  const taken = await namesInStore(store.root);
  const base = (meta.name ?? source.spec.name).replace(/ \(copy(?: \d+)?\)$/, '');
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? ' (copy)' : ` (copy ${n})`;
    const name = base.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
    if (taken.has(name)) continue;
    const spec = { ...source.spec, name };
    const hash = specHashOf(spec);
    const copyId = experimentId(spec, hash);
    if (await exists(store.experimentDir(copyId))) continue;
    const handle = await store.createOrOpen(spec, hash, engineVersion);
    await handle.close();
    await updateMeta(handle.dir, (m) => ({ ...m, tags: [...meta.tags], copiedFrom: source.id }));
    return copyId;
  }
  throw new StoreError(store.experimentDir(id), 'cannot duplicate the experiment: 999 copies of it exist already');
}

/**
 * Moves an experiment folder to the store's trash (one rename, under its writer lock). Returns the
 * trash entry. StoreError when the experiment does not exist or is being written.
 */
export async function trashExperiment(store: ExperimentStore, id: string, now = new Date()): Promise<TrashEntry> {
  const dir = store.experimentDir(id);
  if (!(await exists(dir))) throw new StoreError(dir, 'cannot delete the experiment: there is no such experiment folder');
  const { meta } = await readMeta(dir);
  const name = meta.name ?? (await specName(dir)) ?? id;
  const trash = path.join(store.root, TRASH_DIR);
  await ensureDir(trash);
  const deletedAt = now.toISOString();
  const trashId = `${deletedAt.replace(/[-:.]/g, '')}.${id}`;
  const target = path.join(trash, trashId);
  await withWriterLock(dir, 'delete', async () => {
    if (await exists(target)) throw new StoreError(target, 'cannot delete the experiment: its trash entry exists already; try again');
    try {
      await fs.rename(dir, target);
    } catch (err) {
      throw wrapIoError(dir, 'move the experiment to the trash', err);
    }
    await fsyncDir(store.root);
    await fsyncDir(trash);
  });
  // The lock moved with the folder; it was ours, and nothing writes a trashed experiment.
  await fs.rm(path.join(target, LOCK_FILE), { force: true }).catch(() => undefined);
  return { trashId, id, name, deletedAt, path: target };
}

/** The store's trash, most recently deleted first; [] when it is empty or absent. */
export async function listTrash(store: ExperimentStore): Promise<TrashEntry[]> {
  const trash = path.join(store.root, TRASH_DIR);
  let names: string[];
  try {
    names = await fs.readdir(trash);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw wrapIoError(trash, 'list the trash', err);
  }
  const out: TrashEntry[] = [];
  for (const trashId of names) {
    const m = TRASH_ENTRY.exec(trashId);
    if (!m) continue;
    const dir = path.join(trash, trashId);
    const { meta } = await readMeta(dir);
    const name = meta.name ?? (await specName(dir)) ?? m[2];
    out.push({ trashId, id: m[2], name, deletedAt: isoOf(m[1]), path: dir });
  }
  return out.sort((a, b) => b.trashId.localeCompare(a.trashId));
}

/** The path of a trash entry; StoreError when the name is not one. */
export function trashEntryPath(store: ExperimentStore, trashId: string): string {
  if (!TRASH_ENTRY.test(trashId)) throw new StoreError(path.join(store.root, TRASH_DIR), `"${trashId}" is not the name of a trash entry`);
  return path.join(store.root, TRASH_DIR, trashId);
}

/** Moves a trashed experiment back to its folder; StoreError when that folder exists again. */
export async function restoreExperiment(store: ExperimentStore, trashId: string): Promise<string> {
  const from = trashEntryPath(store, trashId);
  const id = TRASH_ENTRY.exec(trashId)![2];
  const to = store.experimentDir(id);
  if (!(await exists(from))) throw new StoreError(from, 'cannot restore: there is no such entry in the trash');
  if (await exists(to)) {
    throw new StoreError(
      to,
      'cannot restore: an experiment with this folder name exists again (the same spec was run since); move it away first',
    );
  }
  try {
    await fs.rename(from, to);
  } catch (err) {
    throw wrapIoError(from, 'move the experiment back from the trash', err);
  }
  await fsyncDir(path.dirname(from));
  await fsyncDir(store.root);
  return id;
}

/**
 * Runs `work` holding the experiment's writer lock, and only when no other process holds a live
 * run claim; a clear refusal naming the holder otherwise.
 */
async function withWriterLock<T>(dir: string, doing: 'rename' | 'delete', work: () => Promise<T>): Promise<T> {
  let lock;
  try {
    lock = await acquireLock(dir);
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    throw new StoreError(err.file, `cannot ${doing} the experiment while it is being trained: ${err.problem}`, { cause: err });
  }
  try {
    // Processes sharing the experiment (--claim, --shard: a cluster's tasks) take no writer lock;
    // a live claim on one of its runs is what says they train it.
    for (const claim of (await readRunClaims(dir)).values()) {
      if (claim.state !== 'live') continue;
      const problem = `run ${claim.runId} is claimed by ${holderText(claim.owner)} (renewed ${claim.renewedAt})`;
      throw new StoreError(dir, `cannot ${doing} the experiment while it is being trained: ${problem}`);
    }
    return await work();
  } finally {
    await lock.release();
  }
}

async function specName(dir: string): Promise<string | null> {
  const raw = await readJsonIfExists(path.join(dir, EXPERIMENT_FILE)).catch(() => null);
  return isObject(raw) && isObject(raw.spec) && typeof raw.spec.name === 'string' ? raw.spec.name : null;
}

/** Every name an experiment of the store shows or has in its spec. */
async function namesInStore(root: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const id of await visibleSubdirs(root)) {
    const dir = path.join(root, id);
    const name = await specName(dir);
    if (name !== null) names.add(name);
    const { meta } = await readMeta(dir);
    if (meta.name !== null) names.add(meta.name);
  }
  return names;
}

/** "20261206T001512123Z" -> "2026-12-06T00:15:12.123Z". */
function isoOf(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
}
