/**
 * Canonical JSON and SHA-256 for the spec hash that names an experiment folder: object keys sorted
 * by UTF-16 code units (recursively), no whitespace, otherwise exactly JSON.stringify's rules
 * (undefined members dropped, undefined in arrays becomes null, non-finite numbers become null,
 * toJSON honoured; cyclic input and BigInt throw a TypeError). The same value gives the same
 * string in every process, on every platform and in every version of this file: changing these
 * rules would move every existing experiment to a new folder.
 *
 * The rules are deliberately the same as src/services/onnx/canonical-json.ts, so a hash from either
 * agrees. Pure functions, any thread.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  const out = encode(value, new Set());
  if (out === undefined) throw new TypeError('canonicalJson: the value is not representable as JSON');
  return out;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) of the canonical JSON of an experiment spec: its `specHash`. */
export function specHashOf(spec: unknown): string {
  return sha256Hex(canonicalJson(spec));
}

function encode(value: unknown, seen: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not representable as JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError('canonicalJson: the value is cyclic');
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${Array.from(obj as unknown[], (v) => encode(v, seen) ?? 'null').join(',')}]`;
  } else {
    const rec = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(rec).sort()) {
      const v = encode(rec[key], seen);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    out = `{${parts.join(',')}}`;
  }
  seen.delete(obj);
  return out;
}
