/**
 * Streams an IDX file (raw or gzip) into memory with bounds: the header is read first, then the
 * size it implies is checked against the file's real size (exactly for raw data; for gzip, against
 * the most the compressed file can expand to) and against the dataset memory ceiling, all before
 * anything is allocated; the body then streams into its array and the first byte past what the
 * header announces stops the read. So a small file whose header claims billions of images, a gzip
 * bomb, or an endless file fails at once with a DataError naming the file.
 *
 * Images become float32 `byte / 255` in a shared matrix. Why stream instead of gunzip-then-convert:
 * inflating runs on libuv's thread pool while the main thread converts the previous piece (and
 * takes the page faults of the fresh 188 MB matrix for Fashion-MNIST's 60,000 images), so the two
 * overlap; conversion is deferred with setImmediate so the next inflate is already queued when it
 * runs. Header checks are idx.ts's. Node only; main thread or worker.
 */
import { DataError } from '../errors.js';
import { sharedFloat32 } from './dataset.js';
import { openMaybeGzip, streamError, type OpenedFile } from './files.js';
import { checkImageDims, readHeader } from './idx.js';
import { checkDatasetMemory, formatBytes, gzipMaxExpansion } from './limits.js';

export interface StreamedImages {
  n: number;
  rows: number;
  cols: number;
  /** (n, rows * cols), byte / 255, in a SharedArrayBuffer. */
  features: Float32Array;
  gzipped: boolean;
}

export interface IdxLimits {
  /** The memory ceiling of the whole dataset (limits.ts). */
  memoryLimitBytes: number;
}

const READ_BYTES = 1 << 20;
const MAX_QUEUED = 16;
const LUT = new Float32Array(256).map((_, b) => b / 255);

/** What a caller makes of an IDX body once its header is known. */
interface Body<T> {
  /** Bytes the header announces after itself. */
  bytes: number;
  /** "3 images of 28x28", "60000 labels". */
  what: string;
  unit: string;
  /** Bytes the loaded arrays take, checked against the ceiling before `allocate`. */
  memory: number;
  memoryWhat: string;
  allocate(): Sink<T>;
}

interface Sink<T> {
  write(chunk: Uint8Array, pos: number): void;
  done(gzipped: boolean): T;
}

/** Images, streamed into float32 byte / 255; `labelCount`, when known, must equal the image count. */
export function streamIdxImages(file: string, limits: IdxLimits, labelCount?: { n: number; file: string }): Promise<StreamedImages> {
  return streamIdx(
    file,
    'images',
    (dims) => {
      const { n, rows, cols } = checkImageDims(dims, file);
      if (labelCount && labelCount.n !== n) {
        throw new DataError(
          `${file} holds ${n} images but ${labelCount.file} holds ${labelCount.n} labels; the counts must match (is this the right pair?)`,
        );
      }
      const px = n * rows * cols;
      const what = `${n} images of ${rows}x${cols}`;
      return {
        bytes: px,
        what,
        unit: 'pixels',
        memory: px * 4 + n * 4,
        memoryWhat: `${what} (float32 pixels and their labels)`,
        allocate() {
          const features = sharedFloat32(px);
          return {
            write(chunk, pos) {
              for (let i = 0; i < chunk.length; i++) features[pos + i] = LUT[chunk[i]];
            },
            done: (gzipped) => ({ n, rows, cols, features, gzipped }),
          };
        },
      };
    },
    limits,
  );
}

/** Labels (one byte each), bounded like images. */
export function streamIdxLabels(file: string, limits: IdxLimits): Promise<{ labels: Uint8Array; gzipped: boolean }> {
  return streamIdx(
    file,
    'labels',
    ([n]) => {
      if (n === 0) throw new DataError(`${file}: the IDX header says the file holds 0 labels`);
      return {
        bytes: n,
        what: `${n} labels`,
        unit: 'labels',
        memory: n * 5,
        memoryWhat: `${n} labels`,
        allocate() {
          const labels = new Uint8Array(n);
          return { write: (chunk, pos) => labels.set(chunk, pos), done: (gzipped) => ({ labels, gzipped }) };
        },
      };
    },
    limits,
  );
}

function streamIdx<T>(file: string, kind: 'images' | 'labels', begin: (dims: number[]) => Body<T>, limits: IdxLimits): Promise<T> {
  const headerBytes = kind === 'images' ? 16 : 8;
  return new Promise<T>((resolve, reject) => {
    let opened: OpenedFile | undefined;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      opened?.destroy();
      reject(streamError(file, err));
    };
    let header = Buffer.alloc(0);
    let body: Body<T> | undefined;
    let sink: Sink<T> | undefined;
    let pos = 0;
    const queue: Buffer[] = [];
    let scheduled = false;
    let ended = false;

    const start = (): void => {
      const h = readHeader(header, file, kind);
      const b = begin(h.dims);
      checkFileSize(file, opened!, headerBytes, b);
      checkDatasetMemory(file, b.memory, b.memoryWhat, limits.memoryLimitBytes);
      sink = b.allocate();
      body = b;
    };
    const consume = (chunk: Buffer): void => {
      if (!body) {
        header = Buffer.concat([header, chunk]);
        if (header.length < headerBytes) return;
        start();
        chunk = header.subarray(headerBytes);
      }
      const b = body!;
      if (pos + chunk.length > b.bytes) {
        throw new DataError(`${file}: unexpected bytes after ${b.what}; the header's dimensions do not match the data`);
      }
      sink!.write(chunk, pos);
      pos += chunk.length;
    };
    const finish = (): void => {
      if (!body) readHeader(header, file, kind); // throws the precise reason (empty, too short, ...)
      const b = body!;
      if (pos < b.bytes) {
        throw new DataError(
          `${file}: the file is truncated: the header announces ${b.what} (${b.bytes} bytes of ${b.unit}) but only ${pos} bytes follow`,
        );
      }
      settled = true;
      resolve(sink!.done(opened!.gzipped));
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

/** Before anything is read past the header: the size it implies against the file's real size. */
function checkFileSize(file: string, o: OpenedFile, headerBytes: number, b: Body<unknown>): void {
  if (!o.gzipped) {
    const have = o.size - headerBytes;
    if (have < b.bytes) {
      throw new DataError(
        `${file}: the file is truncated: the header announces ${b.what} (${b.bytes} bytes of ${b.unit}) but only ${have} bytes follow`,
      );
    }
    if (have > b.bytes)
      throw new DataError(`${file}: ${have - b.bytes} unexpected bytes after ${b.what}; the header's dimensions do not match the data`);
    return;
  }
  const most = gzipMaxExpansion(o.size);
  if (headerBytes + b.bytes > most) {
    throw new DataError(
      `${file}: the header announces ${b.what} (${formatBytes(b.bytes)}), more than a gzip file of ${formatBytes(o.size)} can hold ` +
        `(at most ${formatBytes(most)} once decompressed): the header is wrong or the file is cut short`,
    );
  }
}
