/*
 * The stages the x86 register transposes share (gemm_avx2.c's 8 x 8, gemm_avx512.c's 16 x 16),
 * included by each after its vector vocabulary (gemm_impl.h's), plus:
 *   VUNPACKLO(a, b) VUNPACKHI(a, b)  interleave the low / high pairs of each 128-bit lane
 *   VSHUFFLE(a, b, imm)              two floats of a then two of b in each 128-bit lane
 * ABL_FN(transpose_head) loads rows 0..nrows-1 of the block into r (zeros below), interleaves
 * pairs of rows, then pairs of pairs: within every 128-bit lane, r[i + j] then holds element j of
 * rows i..i+3 (i a multiple of 4). The caller's own stages move the 128-bit lanes. Only copies.
 */
static inline void ABL_FN(transpose_head)(const float *src, ptrdiff_t ls, int nrows, vf *r, vf *t) {
  for (int i = 0; i < VLEN; i++) r[i] = i < nrows ? VLOAD(src + i * ls) : VZERO();
  for (int i = 0; i < VLEN; i += 2) {
    t[i] = VUNPACKLO(r[i], r[i + 1]);
    t[i + 1] = VUNPACKHI(r[i], r[i + 1]);
  }
  for (int i = 0; i < VLEN; i += 4) {
    r[i] = VSHUFFLE(t[i], t[i + 2], 0x44);
    r[i + 1] = VSHUFFLE(t[i], t[i + 2], 0xEE);
    r[i + 2] = VSHUFFLE(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = VSHUFFLE(t[i + 1], t[i + 3], 0xEE);
  }
}
