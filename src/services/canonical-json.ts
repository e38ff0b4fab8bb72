/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, recursively), no whitespace, and
 * otherwise exactly JSON.stringify's rules (undefined members dropped, undefined/functions in
 * arrays become null, non-finite numbers become null, toJSON honoured). The same value gives the
 * same string in every process and on every platform, so its SHA-256 identifies a config (ONNX
 * metadata) or an experiment (the store's spec hash, which names its folder: changing these rules
 * would move every existing experiment). Cyclic input and BigInt throw a TypeError, as
 * JSON.stringify does. Pure; any thread.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  const out = encode(value, new Set());
  if (out === undefined) throw new TypeError('canonicalJson: the value is not representable as JSON');
  return out;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 (hex) of the canonical JSON of a value: the run's config hash. */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
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
    const items = Array.from(obj as unknown[], (v) => encode(v, seen) ?? 'null');
    out = `[${items.join(',')}]`;
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
