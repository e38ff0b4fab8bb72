/** Copies the first n values of src to dst: a plain loop, so no view is created per call. Any thread. */
export function copyPrefix(src: Float32Array, dst: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dst[i] = src[i];
}
