/**
 * weights.bin: a run's final parameters followed by its batch-norm buffers, raw little-endian
 * float32, no header (a user can read it with numpy.fromfile(path, '<f4')). The file does not know
 * its own split: the reader passes the parameter and buffer counts of the model plan, and gets a
 * clear error when the size disagrees. The SHA-256 of the parameter bytes is the run's
 * `weightsSha256` (src/engine/train/fingerprint.ts hashes the same bytes on a little-endian host).
 *
 * Writing goes through writeFileAtomic; this file only encodes, decodes and checks. Main thread.
 */
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from './canonical.js';
import { StoreError, wrapIoError } from './errors.js';
import { WEIGHTS_FILE } from './layout.js';

const littleEndianHost = os.endianness() === 'LE';

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
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw wrapIoError(file, 'read the weights', err);
  }
  const expectedBytes = (paramCount + bufferCount) * 4;
  if (bytes.length !== expectedBytes) {
    const found =
      bytes.length % 4 === 0
        ? `${bytes.length / 4} float32 values (${bytes.length} bytes)`
        : `${bytes.length} bytes, not a whole number of float32 values`;
    throw new StoreError(
      file,
      `holds ${found}, but the model has ${paramCount} parameters and ${bufferCount} batch-norm buffer values ` +
        `(${expectedBytes} bytes): the file is damaged or belongs to another model`,
    );
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
