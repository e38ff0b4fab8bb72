/**
 * File access for the loaders: resolving a spec's relative path, reading a whole file (gunzipped
 * when it starts with the gzip magic 1f 8b) and turning every file-system or zlib failure into a
 * DataError that names the file; helpers shared by the streaming readers (IDX images, CSV). Node
 * only (node:fs, node:zlib); call it from the main thread or a worker, never from a renderer.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { DataError } from '../errors.js';

const gunzip = promisify(zlib.gunzip);

/** Absolute path of a spec's file: relative paths resolve against baseDir (default: the cwd). */
export function resolveDataPath(file: string, baseDir?: string): string {
  return path.resolve(baseDir ?? process.cwd(), file);
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Reads `file` whole; gzip data (by magic bytes, not by name) is decompressed off the main thread. */
export async function readMaybeGzip(file: string): Promise<{ bytes: Buffer; gzipped: boolean }> {
  const raw = await readWhole(file);
  if (!isGzip(raw)) return { bytes: raw, gzipped: false };
  try {
    return { bytes: await gunzip(raw), gzipped: true };
  } catch (err) {
    throw gzipError(file, err);
  }
}

export async function readWhole(file: string): Promise<Buffer> {
  await statFile(file);
  try {
    return await fsp.readFile(file);
  } catch (err) {
    throw fsError(file, err);
  }
}

/** Size of a regular file; a DataError when it is missing, a folder or unreadable. */
export async function statFile(file: string): Promise<number> {
  let st;
  try {
    st = await fsp.stat(file);
  } catch (err) {
    throw fsError(file, err);
  }
  if (st.isDirectory()) throw new DataError(`${file}: is a folder, expected a data file`);
  return st.size;
}

export function fsError(file: string, err: unknown): DataError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new DataError(`${file}: file not found`);
  if (code === 'EACCES' || code === 'EPERM') return new DataError(`${file}: permission denied`);
  if (code === 'EISDIR') return new DataError(`${file}: is a folder, expected a data file`);
  const msg = err instanceof Error ? err.message : String(err);
  return new DataError(`${file}: cannot read the file (${msg})`);
}

/** Reads the first two bytes (gzip magic) without consuming a stream. */
export async function startsWithGzip(file: string): Promise<boolean> {
  await statFile(file);
  const fh = await fsp.open(file, 'r').catch((err: unknown) => {
    throw fsError(file, err);
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return isGzip(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** The DataError for a failed read/gunzip stream (a DataError raised inside passes through). */
export function streamError(file: string, err: unknown): DataError {
  if (err instanceof DataError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code?.startsWith('Z_') || /gzip|unexpected end of file|incorrect header/i.test(e?.message ?? '')) return gzipError(file, err);
  return fsError(file, err);
}

export function gzipError(file: string, err: unknown): DataError {
  const msg = err instanceof Error ? err.message : String(err);
  return new DataError(`${file}: the gzip data is truncated or corrupt (${msg}); download or copy the file again`);
}
