/**
 * Crash-safe file primitives. A whole file is written to a hidden temp file in the same folder,
 * fsync'd, closed, then renamed over the target, and the folder is fsync'd so the rename itself is
 * durable (skipped on Windows, which cannot open a directory for fsync). A process killed at any
 * moment therefore leaves either the old file or the new one at the target name, never a mix, plus
 * at most one hidden `.<name>.<pid>-...tmp` that readers skip and the next writer removes.
 *
 * Not for appends (metrics-appender.ts) and not a lock: two writers of the same file race (the
 * writer lock in lock.ts keeps a second process out of an experiment). Async, main thread.
 */
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, wrapIoError } from './errors.js';
import { hiddenSibling, isLeftoverName } from './layout.js';

const isWindows = process.platform === 'win32';

/** Writes `data` to `file` atomically and durably (see the contract above). */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([[file, data]]);
}

/**
 * Writes several files that belong together (an ONNX model and its validation report): each to a
 * hidden temp file beside its target, all fsync'd, then renamed into place in the order given (so
 * put the file whose presence means "done" last). If any step fails, the targets renamed so far
 * and `removeOnFailure` are deleted and no temp file is left, so a failure never leaves the last
 * file of the group next to a missing or stale earlier one. StoreError naming the file that failed.
 */
export async function writeFilesAtomic(files: [string, string | Uint8Array][], removeOnFailure: string[] = []): Promise<void> {
  const temps: string[] = [];
  const placed: string[] = [];
  let current = files[0]?.[0] ?? '';
  try {
    for (const [file, data] of files) {
      current = file;
      const tmp = path.join(path.dirname(file), hiddenSibling(path.basename(file), '.tmp'));
      temps.push(tmp);
      const handle = await fs.open(tmp, 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [i, [file]] of files.entries()) {
      current = file;
      await renameWithRetry(temps[i], file);
      placed.push(file);
    }
  } catch (err) {
    for (const p of [...temps, ...placed, ...removeOnFailure]) await fs.rm(p, { force: true }).catch(() => undefined);
    throw wrapIoError(current, 'write the file', err);
  }
  for (const dir of new Set(files.map(([f]) => path.dirname(f)))) await fsyncDir(dir);
}

/** Writes a value as indented JSON with a final newline, atomically. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Writes a value as JSON to `file` only if no such file exists, atomically: written whole to a temp
 * file, then hard-linked to its name, which fails when the name exists (atomic on local file
 * systems and NFS). Of any number of processes calling this at once, exactly one writes; the
 * others get false and read the winner's file. Where hard links are not supported, falls back to
 * a rename (the last writer wins, the file still appears whole).
 */
export async function writeJsonOnce(file: string, value: unknown): Promise<boolean> {
  const dir = path.dirname(file);
  for (let attempt = 0; ; attempt++) {
    const tmp = path.join(dir, hiddenSibling(path.basename(file), '.tmp'));
    try {
      const handle = await fs.open(tmp, 'wx');
      try {
        await handle.writeFile(JSON.stringify(value, null, 2) + '\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.link(tmp, file);
      await fsyncDir(dir);
      return true;
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EEXIST') return false;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
        await writeJsonAtomic(file, value);
        return true;
      }
      // A writer that opened the experiment at this moment swept our temp file away: write it again.
      if (code === 'ENOENT' && attempt < 3) continue;
      throw wrapIoError(file, 'write the file', err);
    } finally {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Flushes a folder's entries (new names, renames, deletions) to disk. A no-op on Windows, and on
 * file systems that refuse to fsync a directory (EINVAL, EISDIR, EPERM, ...): there the rename is
 * as durable as the platform makes it.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (isWindows) return;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw wrapIoError(dir, 'flush the folder', err);
    // Other codes: the platform cannot fsync a directory; nothing more to do.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Creates `dir` (and missing parents) and makes the new entries durable in their parents. */
export async function ensureDir(dir: string): Promise<void> {
  let first: string | undefined;
  try {
    first = await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw wrapIoError(dir, 'create the folder', err);
  }
  if (first === undefined) return; // it existed
  // fsync the parent of every folder created, from the outermost new one down.
  const created: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    created.push(d);
    if (d === path.resolve(first) || path.dirname(d) === d) break;
  }
  for (const d of created.reverse()) await fsyncDir(path.dirname(d));
}

/**
 * Removes the store's leftovers in `dir`: temp files of interrupted writes and folders of
 * interrupted deletes. Only a process that owns what `dir` holds may call this (an in-flight write
 * of another writer would lose its temp file): the holder of the experiment's writer lock, or of a
 * run's claim for that run's folder; others pass `olderThanMs`, an age no write in progress reaches.
 * Returns the names removed.
 */
export async function removeLeftovers(dir: string, olderThanMs = 0): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw wrapIoError(dir, 'list the folder', err);
  }
  const removed: string[] = [];
  for (const name of names.filter(isLeftoverName)) {
    const p = path.join(dir, name);
    if (olderThanMs > 0) {
      const st = await fs.lstat(p).catch(() => null);
      if (st === null || Date.now() - st.mtimeMs < olderThanMs) continue;
    }
    try {
      await fs.rm(p, { recursive: true, force: true });
    } catch (err) {
      throw wrapIoError(p, 'remove a leftover of an interrupted write', err);
    }
    removed.push(name);
  }
  if (removed.length > 0) await fsyncDir(dir);
  return removed;
}

/**
 * fs.rename, retried for a moment on Windows, where a reader, an indexer or an antivirus holding
 * the target open makes the replace fail with EPERM/EACCES/EBUSY until it lets go.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = errnoCode(err);
      const transient = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (!isWindows || !transient || attempt >= 10) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}
