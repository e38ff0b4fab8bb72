/**
 * File access for the loaders: resolving a spec's relative path, opening a data file as a stream
 * (gunzipped when it starts with the gzip magic 1f 8b), refusing what is not a regular file
 * (devices such as /dev/zero, pipes, sockets, also behind a symlink) by name, and turning every
 * file-system or zlib failure into a DataError that names the file. Nothing here reads a file
 * whole: the consumers bound what they keep (limits.ts). Node only (node:fs, node:zlib); call it
 * from the main thread or a worker, never from a renderer.
 */
import fs, { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { DataError } from '../errors.js';

/** Absolute path of a spec's file: relative paths resolve against baseDir (default: the cwd). */
export function resolveDataPath(file: string, baseDir?: string): string {
  return path.resolve(baseDir ?? process.cwd(), file);
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A folder where a data file was expected. */
function folderError(file: string): DataError {
  return new DataError(`${file}: is a folder, expected a data file`);
}

export function fsError(file: string, err: unknown): DataError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new DataError(`${file}: file not found`);
  if (code === 'EACCES' || code === 'EPERM') return new DataError(`${file}: permission denied`);
  if (code === 'EISDIR') return folderError(file);
  const msg = err instanceof Error ? err.message : String(err);
  return new DataError(`${file}: cannot read the file (${msg})`);
}

/** What a non-regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A DataError unless `st` is a regular file: devices (/dev/zero, /dev/urandom), pipes and
 * sockets never end or never start, so they are refused by name, also behind a symlink.
 */
export async function checkRegular(file: string, st: Stats): Promise<void> {
  if (st.isFile()) return;
  if (st.isDirectory()) throw folderError(file);
  const target = await fsp.realpath(file).catch(() => null);
  const via = target !== null && target !== path.resolve(file) ? ` (a link to ${target})` : '';
  throw new DataError(`${file}: is ${kindOf(st)}${via}, not a regular file; data must be a regular file (plain or gzip)`);
}

/** O_NONBLOCK: opening a FIFO must not wait for a writer (the file is refused right after). */
const OPEN_FLAGS = fs.constants.O_RDONLY | (process.platform === 'win32' ? 0 : fs.constants.O_NONBLOCK);

export interface DataFile {
  handle: fsp.FileHandle;
  /** Size on disk (compressed size for gzip data). */
  size: number;
  gzipped: boolean;
}

/**
 * Opens a data file for reading: refuses anything but a regular file (checked on the open
 * handle, so a swap between check and read cannot slip a device in) and reads the gzip magic.
 * The caller owns the handle.
 */
export async function openDataFile(file: string): Promise<DataFile> {
  const pre = await fsp.stat(file).catch((err: unknown) => {
    throw fsError(file, err);
  });
  await checkRegular(file, pre); // before open: opening a FIFO or a device can block or have effects
  const handle = await fsp.open(file, OPEN_FLAGS).catch((err: unknown) => {
    throw fsError(file, err);
  });
  try {
    const st = await handle.stat();
    await checkRegular(file, st);
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return { handle, size: st.size, gzipped: isGzip(head.subarray(0, bytesRead)) };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err instanceof DataError ? err : fsError(file, err);
  }
}

/** Size of a regular file; a DataError when it is missing, a folder, a device or unreadable. */
export async function statFile(file: string): Promise<number> {
  const st = await fsp.stat(file).catch((err: unknown) => {
    throw fsError(file, err);
  });
  await checkRegular(file, st);
  return st.size;
}

/** Size of gunzip's output pieces: big enough that inflating runs well ahead of the consumer. */
const GUNZIP_CHUNK = 1 << 18;

export interface OpenedFile {
  /** The file's bytes, gunzipped when it is gzip data, or the output of `into` when given. */
  stream: Readable;
  gzipped: boolean;
  /** Size of the file on disk, in bytes (compressed size for gzip data). */
  size: number;
  /** Destroys every stream of the chain (idempotent); call it when the consumer gives up. */
  destroy(): void;
}

/**
 * Opens `file` as a stream of `highWaterMark`-byte reads, piped through gunzip when the file starts
 * with the gzip magic (by content, not by name), then into `into` when given. Every stream of the
 * chain keeps our own error listener for its whole life (not stream.pipeline, which drops its
 * listeners once the last stream's writable side finishes, so a later gunzip "unexpected end of
 * file" would be an uncaught exception: seen). The first failure destroys the chain and reaches
 * `onError` once, as a DataError naming the file. Nothing flows until the caller reads `stream`.
 */
export async function openMaybeGzip(
  file: string,
  highWaterMark: number,
  onError: (err: DataError) => void,
  into?: Transform,
): Promise<OpenedFile> {
  const { handle, size, gzipped } = await openDataFile(file);
  const chain: (Readable | Transform)[] = [handle.createReadStream({ highWaterMark, start: 0, autoClose: true })];
  if (gzipped) chain.push(zlib.createGunzip({ chunkSize: GUNZIP_CHUNK }));
  if (into) chain.push(into);
  const destroy = (): void => {
    for (const s of chain) s.destroy();
  };
  let failed = false;
  const fail = (err: unknown): void => {
    destroy();
    if (failed) return;
    failed = true;
    onError(streamError(file, err));
  };
  for (const s of chain) s.on('error', fail);
  for (let i = 0; i + 1 < chain.length; i++) chain[i].pipe(chain[i + 1] as Transform);
  return { stream: chain[chain.length - 1], gzipped, size, destroy };
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
