/**
 * The parameter and result types of a WebAssembly module's exported functions, read from the
 * binary (type, import, function and export sections), since the JS API does not expose them.
 * Handles what the kernel module uses: numeric value types, function and memory imports.
 */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPES: Record<number, ValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };

export function exportedSignatures(bytes: Uint8Array): Map<string, { params: ValType[]; results: ValType[] }> {
  let p = 8;
  const u32 = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
  };
  const name = (): string => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  const valTypes = (): ValType[] => Array.from({ length: u32() }, () => VALTYPES[bytes[p++]]);
  const types: Array<{ params: ValType[]; results: ValType[] }> = [];
  const functions: number[] = []; // type index of each function, imported first
  const exports = new Map<string, number>();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u32();
    const end = p + size;
    if (id === 1) {
      for (let i = u32(); i > 0; i--) {
        p++; // 0x60, the func type form
        types.push({ params: valTypes(), results: valTypes() });
      }
    } else if (id === 2) {
      for (let i = u32(); i > 0; i--) {
        name();
        name();
        const kind = bytes[p++];
        if (kind === 0) functions.push(u32());
        else if (kind === 2) {
          const flags = bytes[p++];
          u32();
          if (flags & 1) u32();
        } else throw new Error(`unsupported import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let i = u32(); i > 0; i--) functions.push(u32());
    } else if (id === 7) {
      for (let i = u32(); i > 0; i--) {
        const n = name();
        const kind = bytes[p++];
        const index = u32();
        if (kind === 0) exports.set(n, index);
      }
    }
    p = end;
  }
  return new Map([...exports].map(([n, f]) => [n, types[functions[f]]]));
}
