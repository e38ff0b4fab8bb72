/**
 * Streams an IDX images file (raw or gzip) straight into a shared float32 matrix, byte / 255.
 * Why stream instead of gunzip-then-convert: inflating runs on libuv's thread pool while the main
 * thread converts the previous piece (and takes the page faults of the fresh 188 MB matrix for
 * Fashion-MNIST's 60,000 images), so the two overlap; conversion is deferred with setImmediate so
 * the next inflate is already queued when it runs. Also, the decompressed bytes are never held
 * whole. Header checks are idx.ts's; size mismatches (truncated data, trailing bytes) fail here.
 * Node only; main thread or worker.
 */
import { DataError } from '../errors.js';
import { sharedFloat32 } from './dataset.js';
import { openMaybeGzip, streamError, type OpenedFile } from './files.js';
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
const READ_BYTES = 1 << 20;
const MAX_QUEUED = 16;
const LUT = new Float32Array(256).map((_, b) => b / 255);

export function streamIdxImages(file: string): Promise<StreamedImages> {
  return new Promise<StreamedImages>((resolve, reject) => {
    let opened: OpenedFile | undefined;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      opened?.destroy();
      reject(streamError(file, err));
    };
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
      resolve({ ...d, features, gzipped: opened!.gzipped });
    };
    const drain = (): void => {
      scheduled = false;
      if (settled) return;
      try {
        while (queue.length > 0) consume(queue.shift()!);
        if (ended) finish();
        else if (opened!.stream.isPaused()) opened!.stream.resume();
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
    openMaybeGzip(file, READ_BYTES, fail).then((o) => {
      opened = o;
      o.stream.on('data', (chunk: Buffer) => {
        queue.push(chunk);
        if (queue.length >= MAX_QUEUED) o.stream.pause();
        schedule();
      });
      o.stream.on('end', () => {
        ended = true;
        schedule();
      });
    }, fail);
  });
}
