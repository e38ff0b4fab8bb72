/**
 * Small read helpers shared by the writer and the readers: a JSON file read with errors that name
 * the file and say what is wrong, an existence check, and a folder listing that skips the store's
 * hidden names. Async, any thread with fs access.
 */
import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import { errnoCode, StoreError, wrapIoError } from './errors.js';
import { isHiddenName } from './layout.js';

/** Parses a JSON file; null when it does not exist; StoreError when unreadable or not JSON. */
export async function readJsonIfExists(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw wrapIoError(file, 'read the file', err);
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
