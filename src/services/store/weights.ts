/**
 * weights.bin: a run's final parameter arena followed by its batch-norm buffer arena, raw
 * little-endian float32, no header; tensors are padded to 16 floats inside each arena, and
 * weights.index.json (weights-index.ts) says where each lies. The file does not know its own
 * split: the reader passes the parameter and buffer counts of the model plan, and gets a clear
 * error when the size disagrees, before anything is read (never more than the model's size: a
 * weights.bin linked to /dev/zero fails at once). The SHA-256 of the parameter bytes is the run's
 * `weightsSha256` (src/engine/train/fingerprint.ts hashes the same bytes on a little-endian host).
 *
 * Writing goes through writeFileAtomic; this file only encodes, decodes and checks. Main thread.
 */
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from './canonical.js';
import { StoreError, wrapIoError } from './errors.js';
import { openRegular } from './files.js';
import { WEIGHTS_FILE } from './layout.js';

const littleEndianHost = os.endianness() === 'LE';
const fingerprints = new Map<string, string>();
const FINGERPRINT_CACHE = 4096;
/**
 * A file changed less than this long ago is hashed but not cached: a second change within the same
 * timestamp tick (a few ms on Linux, 2 s on FAT) would leave inode, size and times as they were.
 */
const SETTLED_MS = 3_000;

/** The bytes of weights.bin and the SHA-256 of the parameter part. */
export function encodeWeights(params: Float32Array, bnBuffers: Float32Array): { bytes: Uint8Array; paramsSha256: string } {
  const bytes = new Uint8Array((params.length + bnBuffers.length) * 4);
  putFloats(bytes, 0, params);
  putFloats(bytes, params.length * 4, bnBuffers);
  return { bytes, paramsSha256: sha256Hex(bytes.subarray(0, params.length * 4)) };
}

export interface LoadedWeights {
  params: Float32Array;
  bnBuffers: Float32Array;
  /** SHA-256 (hex) of the parameter bytes as stored. */
  paramsSha256: string;
}

/**
 * Reads `<runDir>/weights.bin`, checking its size against `paramCount + bufferCount` floats and,
 * when given, the parameter hash against `expectedSha256` (a run's summary.weightsSha256).
 */
export async function readWeights(
  runDir: string,
  paramCount: number,
  bufferCount: number,
  opts: { expectedSha256?: string | null } = {},
): Promise<LoadedWeights> {
  const file = path.join(runDir, WEIGHTS_FILE);
  for (const [name, n] of [
    ['paramCount', paramCount],
    ['bufferCount', bufferCount],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`readWeights: ${name} must be a non-negative integer, got ${n}`);
  }
  // Bounded by the size the model implies: never read more (a weights.bin that is a link to
  // /dev/zero, or a huge file, fails here without being read).
  const expectedBytes = (paramCount + bufferCount) * 4;
  const opened = await openRegular(file, Number.MAX_SAFE_INTEGER, 'read the weights');
  if (opened === null) throw new StoreError(file, 'cannot read the weights: no such file or folder');
  let bytes: Uint8Array;
  try {
    const problem = sizeProblem(opened.size, paramCount, bufferCount);
    if (problem !== null) throw new StoreError(file, problem);
    bytes = new Uint8Array(expectedBytes);
    const { bytesRead } = await opened.handle.read(bytes, 0, expectedBytes, 0);
    if (bytesRead !== expectedBytes)
      throw new StoreError(file, `${sizeProblem(bytesRead, paramCount, bufferCount)} (it shrank while being read)`);
  } catch (err) {
    throw wrapIoError(file, 'read the weights', err);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
  const paramsSha256 = sha256Hex(bytes.subarray(0, paramCount * 4));
  if (opts.expectedSha256 != null && opts.expectedSha256 !== paramsSha256) {
    throw new StoreError(
      file,
      `the parameters hash to ${paramsSha256}, but the run's summary says ${opts.expectedSha256}: the file is damaged`,
    );
  }
  return {
    params: getFloats(bytes, 0, paramCount),
    bnBuffers: getFloats(bytes, paramCount * 4, bufferCount),
    paramsSha256,
  };
}

/** Why a weights.bin of `size` bytes cannot belong to the model, or null when it can. */
export function sizeProblem(size: number, paramCount: number, bufferCount: number): string | null {
  const expectedBytes = (paramCount + bufferCount) * 4;
  if (size === expectedBytes) return null;
  const found = size % 4 === 0 ? `${size / 4} float32 values (${size} bytes)` : `${size} bytes, not a whole number of float32 values`;
  return (
    `holds ${found}, but the model has ${paramCount} parameters and ${bufferCount} batch-norm buffer values ` +
    `(${expectedBytes} bytes): the file is damaged or belongs to another model`
  );
}

/**
 * SHA-256 of the parameter bytes of `<runDir>/weights.bin` when the file is a regular file whose
 * size fits the model and is at most `maxBytes`; otherwise what is wrong, in words. Never reads
 * more than the model's size. For checking a run's files (verify.ts).
 */
export async function weightsFingerprint(
  runDir: string,
  paramCount: number,
  bufferCount: number,
  maxBytes: number,
): Promise<{ sha256: string | null; problem: string | null }> {
  const file = path.join(runDir, WEIGHTS_FILE);
  let opened;
  try {
    opened = await openRegular(file, Number.MAX_SAFE_INTEGER, 'read the weights');
  } catch (err) {
    return { sha256: null, problem: err instanceof StoreError ? err.problem : String(err) };
  }
  if (opened === null) return { sha256: null, problem: 'is missing' };
  try {
    const problem = sizeProblem(opened.size, paramCount, bufferCount);
    if (problem !== null || opened.size > maxBytes) return { sha256: null, problem };
    // A listing checks every run each time: the same settled file (inode, size, times) is hashed once.
    const st = opened.stats;
    const key = `${file}\u0000${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${paramCount}`;
    const known = fingerprints.get(key);
    if (known !== undefined) return { sha256: known, problem: null };
    const bytes = new Uint8Array(paramCount * 4);
    const { bytesRead } = await opened.handle.read(bytes, 0, bytes.length, 0);
    if (bytesRead !== bytes.length) return { sha256: null, problem: 'shrank while being read' };
    const sha256 = sha256Hex(bytes);
    if (Date.now() - Math.max(st.mtimeMs, st.ctimeMs) < SETTLED_MS) return { sha256, problem: null };
    if (fingerprints.size >= FINGERPRINT_CACHE) fingerprints.delete(fingerprints.keys().next().value!);
    fingerprints.set(key, sha256);
    return { sha256, problem: null };
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

function putFloats(bytes: Uint8Array, byteOffset: number, values: Float32Array): void {
  if (littleEndianHost) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), byteOffset);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, values.length * 4);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
}

function getFloats(bytes: Uint8Array, byteOffset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (littleEndianHost) {
    new Uint8Array(out.buffer).set(bytes.subarray(byteOffset, byteOffset + count * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * 4);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
