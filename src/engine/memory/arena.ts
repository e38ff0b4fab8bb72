/**
 * Byte layouts for the engine's memory: named, 64-byte aligned regions inside one buffer. A layout
 * is pure arithmetic on sizes, so the main thread and every worker compute the same offsets from
 * the same config and only the buffer (ArrayBuffer, SharedArrayBuffer or a shared
 * WebAssembly.Memory) crosses threads.
 */

export type RegionType = 'f32' | 'f64' | 'i32';

export interface Region {
  name: string;
  type: RegionType;
  /** Byte offset from the start of the buffer. */
  byteOffset: number;
  /** Number of elements. */
  length: number;
}

const BYTES: Record<RegionType, number> = { f32: 4, f64: 8, i32: 4 };
export const ALIGN = 64;

export class ArenaLayout {
  private readonly regions = new Map<string, Region>();
  private end = 0;

  constructor(startByte = 0) {
    this.end = alignUp(startByte, ALIGN);
  }

  add(name: string, type: RegionType, length: number): Region {
    if (this.regions.has(name)) throw new Error(`ArenaLayout: region "${name}" defined twice`);
    if (!Number.isInteger(length) || length < 0) throw new Error(`ArenaLayout: region "${name}" has bad length ${length}`);
    const region = { name, type, byteOffset: this.end, length };
    this.regions.set(name, region);
    this.end = alignUp(this.end + length * BYTES[type], ALIGN);
    return region;
  }

  get(name: string): Region {
    const r = this.regions.get(name);
    if (!r) throw new Error(`ArenaLayout: no region "${name}"`);
    return r;
  }

  has(name: string): boolean {
    return this.regions.has(name);
  }

  /** Total bytes, a multiple of ALIGN. */
  get byteLength(): number {
    return this.end;
  }
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function f32View(buffer: ArrayBufferLike, r: Region): Float32Array {
  if (r.type !== 'f32') throw new Error(`region ${r.name} is ${r.type}, not f32`);
  return new Float32Array(buffer, r.byteOffset, r.length);
}

export function f64View(buffer: ArrayBufferLike, r: Region): Float64Array {
  if (r.type !== 'f64') throw new Error(`region ${r.name} is ${r.type}, not f64`);
  return new Float64Array(buffer, r.byteOffset, r.length);
}

export function i32View(buffer: ArrayBufferLike, r: Region): Int32Array {
  if (r.type !== 'i32') throw new Error(`region ${r.name} is ${r.type}, not i32`);
  return new Int32Array(buffer, r.byteOffset, r.length);
}
