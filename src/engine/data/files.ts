/**
 * File access for the loaders: resolving a spec's relative path, reading a whole file or opening
 * it as a stream (either gunzipped when it starts with the gzip magic 1f 8b) and turning every
 * file-system or zlib failure into a DataError that names the file. Node only (node:fs,
 * node:zlib); call it from the main thread or a worker, never from a renderer.
 */
import fs, { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
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
  if (st.isDirectory()) throw folderError(file);
  return st.size;
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

/** Size and gzip magic of a regular file, from one open; a DataError when it is missing, a folder or unreadable. */
export async function probeFile(file: string): Promise<{ size: number; gzipped: boolean }> {
  const fh = await fsp.open(file, 'r').catch((err: unknown) => {
    throw fsError(file, err);
  });
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw folderError(file);
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return { size: st.size, gzipped: isGzip(head.subarray(0, bytesRead)) };
  } catch (err) {
    throw err instanceof DataError ? err : fsError(file, err);
  } finally {
    await fh.close();
  }
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
  const { size, gzipped } = await probeFile(file);
  const chain: (Readable | Transform)[] = [fs.createReadStream(file, { highWaterMark })];
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
