/**
 * The spec hash that names an experiment folder: SHA-256 of the spec's canonical JSON
 * (src/services/canonical-json.ts). Pure; any thread.
 */
import { canonicalSha256 } from '../canonical-json.js';

export { canonicalJson, sha256Hex } from '../canonical-json.js';

/** SHA-256 (hex) of the canonical JSON of an experiment spec: its `specHash`. */
export function specHashOf(spec: unknown): string {
  return canonicalSha256(spec);
}
