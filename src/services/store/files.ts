/**
 * Small read helpers shared by the writer and the readers: a JSON file read with errors that name
 * the file and say what is wrong, an existence check, and a folder listing that skips the store's
 * hidden names. Async, any thread with fs access.
 */
import { constants as fsConstants, type Dirent, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import { errnoCode, StoreError, wrapIoError } from './errors.js';
import { isHiddenName } from './layout.js';

/** The store's JSON files are small; a bigger one is damage (or a device), not something to read whole. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** O_NONBLOCK: opening a FIFO put where a store file belongs must not wait for a writer. */
const OPEN_FLAGS = fsConstants.O_RDONLY | (process.platform === 'win32' ? 0 : fsConstants.O_NONBLOCK);

/** What a non-regular file is, in words (a link's target named). */
export async function notRegular(file: string, st: Stats): Promise<string> {
  const kind = st.isDirectory()
    ? 'a folder'
    : st.isCharacterDevice()
      ? 'a character device'
      : st.isBlockDevice()
        ? 'a block device'
        : st.isFIFO()
          ? 'a named pipe (FIFO)'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
  const target = await fs.realpath(file).catch(() => null);
  return `is ${kind}${target !== null && target !== file ? ` (a link to ${target})` : ''}, not a regular file`;
}

/**
 * Opens a store file for reading, refusing anything but a regular file (checked on the handle) and
 * anything bigger than `maxBytes`; null when it does not exist. The caller closes the handle.
 */
export async function openRegular(
  file: string,
  maxBytes: number,
  doing: string,
): Promise<{ handle: fs.FileHandle; size: number; stats: Stats } | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw wrapIoError(file, doing, err);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new StoreError(file, `cannot ${doing}: it ${await notRegular(file, st)}`);
    if (st.size > maxBytes) throw new StoreError(file, `cannot ${doing}: it holds ${st.size} bytes, more than the ${maxBytes} expected`);
    return { handle, size: st.size, stats: st };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw wrapIoError(file, doing, err);
  }
}

/** Parses a JSON file; null when it does not exist; StoreError when unreadable or not JSON. */
export async function readJsonIfExists(file: string): Promise<unknown> {
  let text: string;
  const opened = await openRegular(file, MAX_JSON_BYTES, 'read the file');
  if (opened === null) return null;
  try {
    text = await opened.handle.readFile('utf8');
  } catch (err) {
    throw wrapIoError(file, 'read the file', err);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const what = text.trim() === '' ? 'is empty' : `is not valid JSON (${(err as Error).message})`;
    throw new StoreError(file, what, { cause: err });
  }
}

/** Parses a JSON file that must exist. */
export async function readJson(file: string): Promise<unknown> {
  const value = await readJsonIfExists(file);
  if (value === null) {
    // readJsonIfExists maps a missing file to null; a file holding `null` is as useless.
    const present = await exists(file);
    throw new StoreError(file, present ? 'holds null instead of a JSON object' : 'is missing');
  }
  return value;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return false;
    throw wrapIoError(file, 'check the file', err);
  }
}

/** The sub-folders of `dir` the reader shows (no hidden names), sorted; [] when `dir` is missing. */
export async function visibleSubdirs(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw wrapIoError(dir, 'list the folder', err);
  }
  return entries
    .filter((e) => e.isDirectory() && !isHiddenName(e.name))
    .map((e) => e.name)
    .sort();
}

/** A plain JSON object (not null, not an array)? */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
