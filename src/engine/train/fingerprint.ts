/** The weights fingerprint: SHA-256 (hex) of a run's final parameter arena bytes. */
import { createHash } from 'node:crypto';

export function weightsSha256(params: Float32Array): string {
  const bytes = new Uint8Array(params.buffer, params.byteOffset, params.byteLength);
  // Copy out of shared memory: hashing reads the bytes once, and a private copy is race-free.
  return createHash('sha256').update(Uint8Array.from(bytes)).digest('hex');
}
