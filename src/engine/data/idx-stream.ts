/**
 * Streams an IDX images file (raw or gzip) straight into a shared float32 matrix, byte / 255.
 * Why stream instead of gunzip-then-convert: inflating runs on libuv's thread pool while the main
 * thread converts the previous piece (and takes the page faults of the fresh 188 MB matrix for
 * Fashion-MNIST's 60,000 images), so the two overlap; conversion is deferred with setImmediate so
 * the next inflate is already queued when it runs. Also, the decompressed bytes are never held
 * whole. Header checks are idx.ts's; size mismatches (truncated data, trailing bytes) fail here.
 * Node only; main thread or worker.
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { DataError } from '../errors.js';
import { sharedFloat32 } from './dataset.js';
import { startsWithGzip, streamError } from './files.js';
import { checkImageDims, readHeader } from './idx.js';

export interface StreamedImages {
  n: number;
  rows: number;
  cols: number;
  /** (n, rows * cols), byte / 255, in a SharedArrayBuffer. */
  features: Float32Array;
  gzipped: boolean;
}

const IMAGES_HEADER = 16;
const MAX_QUEUED = 16;
const LUT = new Float32Array(256).map((_, b) => b / 255);

export async function streamIdxImages(file: string): Promise<StreamedImages> {
  const gzipped = await startsWithGzip(file);
  return new Promise<StreamedImages>((resolve, reject) => {
    const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    let out: Readable = source;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      out.destroy();
      source.destroy();
      reject(streamError(file, err));
    };
    // Our own error listeners on every stream, kept for their whole life: stream.pipeline counts a
    // last Duplex as done when its writable side finishes and then drops its listeners, so a
    // gunzip "unexpected end of file" raised after that would be an uncaught exception (seen).
    source.on('error', fail);
    if (gzipped) {
      const gunzip = zlib.createGunzip({ chunkSize: 1 << 18 });
      gunzip.on('error', fail);
      out = source.pipe(gunzip);
    }

    let header = Buffer.alloc(0);
    let dims: { n: number; rows: number; cols: number } | undefined;
    let features: Float32Array = new Float32Array(0);
    let pos = 0;
    const queue: Buffer[] = [];
    let scheduled = false;
    let ended = false;

    const consume = (chunk: Buffer): void => {
      if (!dims) {
        header = Buffer.concat([header, chunk]);
        if (header.length < IMAGES_HEADER) return;
        const h = readHeader(header, file, 'images');
        dims = checkImageDims(h.dims, file);
        features = sharedFloat32(dims.n * dims.rows * dims.cols);
        chunk = header.subarray(IMAGES_HEADER);
      }
      if (pos + chunk.length > features.length) {
        throw new DataError(
          `${file}: unexpected bytes after ${dims.n} images of ${dims.rows}x${dims.cols}; the header's dimensions do not match the data`,
        );
      }
      for (let i = 0; i < chunk.length; i++) features[pos + i] = LUT[chunk[i]];
      pos += chunk.length;
    };
    const finish = (): void => {
      if (!dims) readHeader(header, file, 'images'); // throws the precise reason (empty, too short, ...)
      const d = dims!;
      if (pos < features.length) {
        throw new DataError(
          `${file}: the file is truncated: the header announces ${d.n} images of ${d.rows}x${d.cols} (${features.length} bytes of pixels) but only ${pos} bytes follow`,
        );
      }
      settled = true;
      resolve({ ...d, features, gzipped });
    };
    const drain = (): void => {
      scheduled = false;
      if (settled) return;
      try {
        while (queue.length > 0) consume(queue.shift()!);
        if (ended) finish();
        else if (out.isPaused()) out.resume();
      } catch (err) {
        fail(err);
      }
    };
    const schedule = (): void => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    };
    out.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      if (queue.length >= MAX_QUEUED) out.pause();
      schedule();
    });
    out.on('end', () => {
      ended = true;
      schedule();
    });
  });
}
