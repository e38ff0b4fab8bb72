/**
 * The IDX format (MNIST / Fashion-MNIST files): big-endian magic 0x00000803 for images (unsigned
 * bytes, 3 dimensions: count, rows, cols), 0x00000801 for labels (unsigned bytes, 1 dimension).
 * Header and dimension checks over bytes in memory (sizes are checked while a file streams:
 * idx-stream.ts); every failure is a DataError naming the file and saying what is wrong. Other
 * element types (signed bytes, shorts, ints, floats) are rejected, not converted. Pure functions
 * over bytes; any thread.
 */
import { DataError } from '../errors.js';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;
const TYPE_NAMES: Record<number, string> = { 8: 'unsigned byte', 9: 'signed byte', 11: 'short', 12: 'int', 13: 'float', 14: 'double' };
/** Largest image we accept (rows * cols); bigger is surely a misread header. */
const MAX_PIXELS = 1 << 24;

function hex(magic: number): string {
  return '0x' + (magic >>> 0).toString(16).padStart(8, '0');
}

/** Reads and checks the magic number and dimensions; returns the dims and the header length. */
export function readHeader(buf: Uint8Array, file: string, kind: 'images' | 'labels'): { dims: number[]; offset: number } {
  const want = kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
  const wantDims = kind === 'images' ? 3 : 1;
  if (buf.length === 0) throw new DataError(`${file}: the file is empty (0 bytes); expected IDX ${kind}`);
  if (buf.length < 4) throw new DataError(`${file}: only ${buf.length} bytes, too short for an IDX header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== want) {
    const other = kind === 'images' ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC;
    let why: string;
    if (magic === other) why = `it is an IDX ${kind === 'images' ? 'labels' : 'images'} file; are images and labels swapped?`;
    else if (buf[0] !== 0 || buf[1] !== 0) why = 'it is not an IDX file';
    else if (buf[2] !== 0x08)
      why = `its elements are of type 0x${buf[2].toString(16).padStart(2, '0')} (${TYPE_NAMES[buf[2]] ?? 'unknown'}); only unsigned bytes (0x08) are supported`;
    else why = `it has ${buf[3]} dimensions; IDX ${kind} have ${wantDims}`;
    throw new DataError(`${file}: wrong IDX magic number ${hex(magic)}, expected ${hex(want)} for ${kind}: ${why}`);
  }
  const offset = 4 + 4 * wantDims;
  if (buf.length < offset) throw new DataError(`${file}: the IDX header is truncated (${buf.length} of ${offset} bytes)`);
  const dims: number[] = [];
  for (let i = 0; i < wantDims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  return { dims, offset };
}

/** Checks the (count, rows, cols) of an images header. */
export function checkImageDims(dims: number[], file: string): { n: number; rows: number; cols: number } {
  const [n, rows, cols] = dims;
  if (n === 0) throw new DataError(`${file}: the IDX header says the file holds 0 images`);
  if (rows === 0 || cols === 0 || rows * cols > MAX_PIXELS) {
    throw new DataError(`${file}: implausible image size ${rows}x${cols} in the IDX header`);
  }
  return { n, rows, cols };
}
