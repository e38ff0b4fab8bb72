/*
 * The three linear products, written once over a small vector vocabulary and included by each
 * instruction-set file (gemm_avx512.c, gemm_avx2.c, gemm_neon.c, gemm_portable.c), which defines:
 *   ABL_FN(name)    the path's prefix for every function here
 *   VLEN, vf        floats per vector and the vector type
 *   VZERO() VLOAD(p) VSTORE(p, v) VBCAST(p) VADD(a, b)
 *   VFMA(a, b, c)   a * b + c (fused on the FMA paths, separate multiply and add on the portable one)
 *   SFMA(a, b, c)   the same on one float, rounding exactly like one lane of VFMA
 *   NV_MAX, ABL_TILE_CAPS  register tiles: for nv vectors of columns, at most cap[nv] rows
 *   ABL_INSTANTIATE  instantiates the tile kernels (one ABL_TILES(nv, cap) per nv)
 *   ABL_TRANSPOSE(src, ls, nrows, dst, ld)  optional: one VLEN x VLEN block transposed in
 *                   registers, dst[k*ld + r] = src[r*ls + k] (zero for rows nrows..VLEN-1)
 *   ABL_CONTIGUOUS_PANELS  optional: the tiles read operands copied off strides that are a
 *                   multiple of 128 floats (ABL_FN(gemm), ABL_FN(panel_ld), linear_backward_weight)
 *
 * Every product is C(m, n) (+)= A(m, K) B(K, n) with B's columns contiguous ("lanes"): a tile
 * broadcasts A(i, k) and multiplies it into vectors of B(k, j..). Each output element gets the
 * sequence acc = +0; acc = fma(A(i,k), B(k,j), acc) for k = 0..K-1 in order; then old + acc or
 * acc + bias. Which tile, edge path or scalar fallback computes it does not matter: the same
 * operations in the same order, so splitting rows or features among calls never changes a bit.
 * Stateless apart from the caller's scratch; any number of threads, on disjoint outputs.
 */

typedef void (*ABL_FN(tile_fn))(int K, const float *a, ptrdiff_t ai, ptrdiff_t ak, const float *b, ptrdiff_t bk, float *c,
                                ptrdiff_t ldc, int add, const float *bias);

/*
 * acc[i][v] = sum_k A(i, k) B(k, v*VLEN..), then C = acc, C = old C + acc (add), or
 * C = acc + bias[column] (bias, a row of NV vectors). MR, NV are constants after inlining.
 * Every loop over rows and vectors is unrolled whole, so that acc lives in registers: left to
 * itself GCC kept the epilogue a loop over acc in memory, storing and reloading every
 * accumulator around each tile. That cost little over 512 steps of k, but over 10 (the
 * 10-output layer's dX) or 16 (a weight block of 16 rows) the same bits ran 1.1-1.5x slower
 * (BENCHMARKS.md, "The contiguous panels on AVX-512").
 */
ABL_INLINE void ABL_FN(tile)(const int MR, const int NV, int K, const float *ABL_RESTRICT a, ptrdiff_t ai, ptrdiff_t ak,
                             const float *ABL_RESTRICT b, ptrdiff_t bk, float *c, ptrdiff_t ldc, int add,
                             const float *bias) {
  vf acc[ABL_MR_MAX][NV_MAX];
  ABL_UNROLL(ABL_MR_MAX) for (int i = 0; i < MR; i++)
    ABL_UNROLL(NV_MAX) for (int v = 0; v < NV; v++) acc[i][v] = VZERO();
  for (int k = 0; k < K; k++) {
    vf bv[NV_MAX];
    ABL_UNROLL(NV_MAX) for (int v = 0; v < NV; v++) bv[v] = VLOAD(b + v * VLEN);
    ABL_UNROLL(ABL_MR_MAX) for (int i = 0; i < MR; i++) {
      const vf s = VBCAST(a + i * ai);
      ABL_UNROLL(NV_MAX) for (int v = 0; v < NV; v++) acc[i][v] = VFMA(s, bv[v], acc[i][v]);
    }
    a += ak;
    b += bk;
  }
  ABL_UNROLL(ABL_MR_MAX) for (int i = 0; i < MR; i++) {
    ABL_UNROLL(NV_MAX) for (int v = 0; v < NV; v++) {
      float *p = c + i * ldc + v * VLEN;
      vf r = acc[i][v];
      if (add) r = VADD(VLOAD(p), r);
      else if (bias) r = VADD(r, VLOAD(bias + v * VLEN));
      VSTORE(p, r);
    }
  }
}

#define ABL_DEF_TILE(MR, NV)                                                                                      \
  ABL_NOINLINE void ABL_FN(t_##MR##_##NV)(int K, const float *a, ptrdiff_t ai, ptrdiff_t ak, const float *b,     \
                                          ptrdiff_t bk, float *c, ptrdiff_t ldc, int add, const float *bias) {   \
    ABL_FN(tile)(MR, NV, K, a, ai, ak, b, bk, c, ldc, add, bias);                                                 \
  }
#define ABL_PTR_TILE(MR, NV) ABL_FN(t_##MR##_##NV),
#define ABL_R1(M, NV) M(1, NV)
#define ABL_R2(M, NV) ABL_R1(M, NV) M(2, NV)
#define ABL_R3(M, NV) ABL_R2(M, NV) M(3, NV)
#define ABL_R4(M, NV) ABL_R3(M, NV) M(4, NV)
#define ABL_R5(M, NV) ABL_R4(M, NV) M(5, NV)
#define ABL_R6(M, NV) ABL_R5(M, NV) M(6, NV)
#define ABL_R7(M, NV) ABL_R6(M, NV) M(7, NV)
#define ABL_R8(M, NV) ABL_R7(M, NV) M(8, NV)
#define ABL_R9(M, NV) ABL_R8(M, NV) M(9, NV)
#define ABL_R10(M, NV) ABL_R9(M, NV) M(10, NV)
#define ABL_R11(M, NV) ABL_R10(M, NV) M(11, NV)
#define ABL_R12(M, NV) ABL_R11(M, NV) M(12, NV)
#define ABL_R13(M, NV) ABL_R12(M, NV) M(13, NV)
#define ABL_R14(M, NV) ABL_R13(M, NV) M(14, NV)
#define ABL_R15(M, NV) ABL_R14(M, NV) M(15, NV)
#define ABL_R16(M, NV) ABL_R15(M, NV) M(16, NV)
#define ABL_R17(M, NV) ABL_R16(M, NV) M(17, NV)
#define ABL_R18(M, NV) ABL_R17(M, NV) M(18, NV)
#define ABL_R19(M, NV) ABL_R18(M, NV) M(19, NV)
#define ABL_R20(M, NV) ABL_R19(M, NV) M(20, NV)
#define ABL_R21(M, NV) ABL_R20(M, NV) M(21, NV)
#define ABL_R22(M, NV) ABL_R21(M, NV) M(22, NV)
#define ABL_R23(M, NV) ABL_R22(M, NV) M(23, NV)
#define ABL_R24(M, NV) ABL_R23(M, NV) M(24, NV)
#define ABL_CAT2(a, b) a##b
#define ABL_CAT(a, b) ABL_CAT2(a, b)
/* The kernels of nv vectors for 1..cap rows, and their table (index = rows). */
#define ABL_TILES(NV, CAP)                                                                                        \
  ABL_CAT(ABL_R, CAP)(ABL_DEF_TILE, NV) static const ABL_FN(tile_fn) ABL_FN(tiles_##NV)[] = {                      \
      0, ABL_CAT(ABL_R, CAP)(ABL_PTR_TILE, NV)};

ABL_INSTANTIATE

static const int ABL_FN(caps)[] = ABL_TILE_CAPS;

/* The tile kernel for nv vectors and mr rows (1 <= mr <= cap[nv]). */
static ABL_FN(tile_fn) ABL_FN(kernel)(int nv, int mr) {
  switch (nv) {
#if NV_MAX >= 4
    case 4:
      return ABL_FN(tiles_4)[mr];
#endif
#if NV_MAX >= 3
    case 3:
      return ABL_FN(tiles_3)[mr];
#endif
#if NV_MAX >= 2
    case 2:
      return ABL_FN(tiles_2)[mr];
#endif
    default:
      return ABL_FN(tiles_1)[mr];
  }
}

/* One element in the tiles' order: +0, then fma over k ascending. */
static float ABL_FN(dot_seq)(int K, const float *a, ptrdiff_t ak, const float *b, ptrdiff_t bk) {
  float acc = 0.0f;
  for (int k = 0; k < K; k++) acc = SFMA(a[k * ak], b[k * bk], acc);
  return acc;
}

/* Rows per tile for m rows with at most cap per tile: tiles as even as possible. */
static int ABL_FN(rows_per_tile)(int m, int cap) {
  const int tiles = (m + cap - 1) / cap;
  return (m + tiles - 1) / tiles;
}

/* Vectors of columns per tile for n columns and m rows: as wide as the columns and row tiles allow. */
static int ABL_FN(vectors_for)(int m, int n) {
  int nv = (n + VLEN - 1) / VLEN;
  if (nv > NV_MAX) nv = NV_MAX;
  /* Few rows and many columns: a taller tile of fewer vectors reuses each B load less but
   * re-reads A less; with m below cap[nv] the wide tile simply has fewer rows. */
  (void)m;
  return nv;
}

#ifdef ABL_CONTIGUOUS_PANELS
/*
 * Rows of a B sliver nve vectors wide copied next to each other: dst[k*nve*VLEN + j] = b[k*bk + j].
 * Only copies, so it never changes a value.
 */
static void ABL_FN(pack_sliver)(const float *b, ptrdiff_t bk, int K, int nve, float *dst) {
  const int w = nve * VLEN;
  for (int k = 0; k < K; k++)
    for (int v = 0; v < nve; v++) VSTORE(dst + (ptrdiff_t)k * w + v * VLEN, VLOAD(b + (ptrdiff_t)k * bk + v * VLEN));
}
#endif

/*
 * C(m, n) (+)= A(m, K) B(K, n): A(i, k) = a[i*ai + k*ak], B(k, j) = b[k*bk + j],
 * C(i, j) = c[i*ldc + j]. Column slivers of B outer (reused from cache by every row tile), row
 * tiles inner. A last sliver narrower than a vector is zero-padded in scratch and its tiles written
 * through a small buffer; without room in scratch those elements take dot_seq.
 * With ABL_CONTIGUOUS_PANELS, a whole sliver of at least 16 rows that at least four row tiles
 * read is first copied into scratch, its rows next to each other. In place its rows are bk floats
 * apart, 512 in the reference model's products: the rows of the sliver then share a few cache
 * sets, and the tiles read it from further out than L1 or L2. dX and dW of 512 inputs ran
 * 1.18-1.45x faster from 32 rows up on Zen 3 with AVX2, 1.05-1.3x from 64 rows up on Ice Lake with
 * AVX-512, where dX of 784 inputs lost 3-4% (BENCHMARKS.md, "The AVX2 path on a Zen 3 host" and
 * "The contiguous panels on AVX-512"). Below four tiles the copy costs more than it saves; so it
 * does below 16 rows, which stay in L1 however far apart (the 10-output layer's dX: 3-4%).
 */
static void ABL_FN(gemm)(int m, int n, int K, const float *a, ptrdiff_t ai, ptrdiff_t ak, const float *b, ptrdiff_t bk,
                         float *c, ptrdiff_t ldc, int add, const float *bias, abl_scratch s) {
  if (m <= 0 || n <= 0) return;
  const int nv = ABL_FN(vectors_for)(m, n);
  const int nr = nv * VLEN;
  for (int j0 = 0; j0 < n; j0 += nr) {
    const int w = n - j0 < nr ? n - j0 : nr;
    const int nve = (w + VLEN - 1) / VLEN;
    const int mr = ABL_FN(rows_per_tile)(m, ABL_FN(caps)[nve]);
    if (w % VLEN == 0) {
      const float *sliver = b + j0;
      ptrdiff_t ldb = bk;
#ifdef ABL_CONTIGUOUS_PANELS
      if ((m + mr - 1) / mr >= 4 && K >= 16 && (size_t)K * w * sizeof(float) <= s.bytes) {
        ABL_FN(pack_sliver)(b + j0, bk, K, nve, s.ptr);
        sliver = s.ptr;
        ldb = w;
      }
#endif
      for (int i0 = 0; i0 < m; i0 += mr) {
        const int h = m - i0 < mr ? m - i0 : mr;
        ABL_FN(kernel)(nve, h)(K, a + i0 * ai, ai, ak, sliver, ldb, c + i0 * ldc + j0, ldc, add, bias ? bias + j0 : 0);
      }
      continue;
    }
    const int ld = nve * VLEN;
    if ((size_t)K * ld * sizeof(float) > s.bytes) {
      for (int i = 0; i < m; i++) {
        for (int j = j0; j < n; j++) {
          const float acc = ABL_FN(dot_seq)(K, a + i * ai, ak, b + j, bk);
          c[i * ldc + j] = add ? c[i * ldc + j] + acc : bias ? acc + bias[j] : acc;
        }
      }
      continue;
    }
    float *panel = s.ptr;
    for (int k = 0; k < K; k++) {
      for (int j = 0; j < ld; j++) panel[k * ld + j] = j < w ? b[k * bk + j0 + j] : 0.0f;
    }
    float tile[ABL_MR_MAX * NV_MAX * VLEN];
    for (int i0 = 0; i0 < m; i0 += mr) {
      const int h = m - i0 < mr ? m - i0 : mr;
      ABL_FN(kernel)(nve, h)(K, a + i0 * ai, ai, ak, panel, ld, tile, ld, 0, 0);
      for (int i = 0; i < h; i++) {
        float *row = c + (i0 + i) * ldc + j0;
        for (int j = 0; j < w; j++) {
          const float t = tile[i * ld + j];
          row[j] = add ? row[j] + t : bias ? t + bias[j0 + j] : t;
        }
      }
    }
  }
}

/*
 * dst[k*ld + r] = src[r*ls + k] for k < cols and r < ld (a multiple of VLEN), zero for rows
 * nrows..ld-1: a row-major operand packed transposed, so that its rows become vector lanes. Whole
 * VLEN x VLEN blocks go through the path's register transpose when it has one (a scalar store per
 * element cost the 16-row forward of the 10-output layer over half its time); only copies, so it
 * never changes a value.
 */
static void ABL_FN(pack_t)(const float *src, ptrdiff_t ls, int nrows, int cols, float *dst, ptrdiff_t ld) {
  for (int r0 = 0; r0 < ld; r0 += VLEN) {
    const int nr = nrows - r0 < 0 ? 0 : nrows - r0 < VLEN ? nrows - r0 : VLEN;
    int k0 = 0;
#ifdef ABL_TRANSPOSE
    if (nr > 0)
      for (; k0 + VLEN <= cols; k0 += VLEN) ABL_TRANSPOSE(src + (ptrdiff_t)r0 * ls + k0, ls, nr, dst + (ptrdiff_t)k0 * ld + r0, ld);
#endif
    for (int r = 0; r < VLEN; r++) {
      float *d = dst + r0 + r;
      if (r < nr) {
        const float *sr = src + (ptrdiff_t)(r0 + r) * ls;
        for (int k = k0; k < cols; k++) d[k * ld] = sr[k];
      } else {
        for (int k = k0; k < cols; k++) d[k * ld] = 0.0f;
      }
    }
  }
}

/*
 * The row length of the forward's panel of rb rows: whole vectors, and with ABL_CONTIGUOUS_PANELS
 * one vector more where that is a multiple of 128 floats (blocks of 128 or 512 rows). The tiles
 * read a sliver of lanes down the panel's rows, which then share a few cache sets (the forward of
 * 128 and 512 rows ran 1.1-1.2x faster padded on Zen 3, and of 512 rows 1.08-1.29x on Ice Lake; the
 * same sections of BENCHMARKS.md).
 */
static int ABL_FN(panel_ld)(int rb) {
  const int ld = (rb + VLEN - 1) / VLEN * VLEN;
#ifdef ABL_CONTIGUOUS_PANELS
  if (ld % 128 == 0) return ld + VLEN;
#endif
  return ld;
}

/*
 * y = x w^T + b as y^T = w x^T: blocks of rows of x are packed transposed into scratch
 * ([k][row], zero-padded to whole vectors) so that the rows become the vector lanes; tiles of
 * output features broadcast w(o, k); each tile is written back transposed with the bias added.
 * y's rows are ldy floats apart (out, or the whole layer's width when w, b and y start at a
 * block of its output features: every element gets the same bits either way).
 */
static void ABL_FN(linear_forward)(const float *x, const float *w, const float *b, float *y, int rows, int in, int out,
                                   ptrdiff_t ldy, abl_scratch s) {
  if (rows <= 0 || out <= 0) return;
  int block = in > 0 ? (int)(s.bytes / ((size_t)in * sizeof(float))) : rows;
  block -= block % VLEN;
  if (block >= VLEN && (size_t)in * ABL_FN(panel_ld)(block) * sizeof(float) > s.bytes) block -= VLEN;
  if (block < VLEN) {
    for (int r = 0; r < rows; r++)
      for (int o = 0; o < out; o++) y[r * ldy + o] = ABL_FN(dot_seq)(in, x + r * in, 1, w + o * in, 1) + b[o];
    return;
  }
  /* Far fewer outputs than rows: pack w^T ([k][out], zero-padded) instead, the outputs become the
   * lanes and the tiles are stored in place with the bias (the same per-element sequence). */
  const int ldw = (out + VLEN - 1) / VLEN * VLEN;
  if (2 * out <= rows && (size_t)in * ldw * sizeof(float) <= s.bytes) {
    float *panel = s.ptr;
    ABL_FN(pack_t)(w, in, out, in, panel, ldw);
    const int nvw = ldw / VLEN;
    if (nvw <= NV_MAX) {
      /* The panel is already zero-padded to whole vectors: tiles straight on it (gemm would pack
       * it once more), stored through a small buffer with the bias. */
      const int mr = ABL_FN(rows_per_tile)(rows, ABL_FN(caps)[nvw]);
      float tile[ABL_MR_MAX * NV_MAX * VLEN];
      for (int i0 = 0; i0 < rows; i0 += mr) {
        const int h = rows - i0 < mr ? rows - i0 : mr;
        ABL_FN(kernel)(nvw, h)(in, x + (ptrdiff_t)i0 * in, in, 1, panel, ldw, tile, ldw, 0, 0);
        for (int i = 0; i < h; i++) {
          float *dst = y + (ptrdiff_t)(i0 + i) * ldy;
          for (int o = 0; o < out; o++) dst[o] = tile[i * ldw + o] + b[o];
        }
      }
      return;
    }
    const abl_scratch rest = {s.ptr + (size_t)in * ldw, s.bytes - (size_t)in * ldw * sizeof(float)};
    ABL_FN(gemm)(rows, out, in, x, in, 1, panel, ldw, y, ldy, 0, b, rest);
    return;
  }
  float tile[ABL_MR_MAX * NV_MAX * VLEN];
  for (int r0 = 0; r0 < rows; r0 += block) {
    const int rb = rows - r0 < block ? rows - r0 : block;
    const int ld = ABL_FN(panel_ld)(rb);
    float *panel = s.ptr;
    ABL_FN(pack_t)(x + (ptrdiff_t)r0 * in, in, rb, in, panel, ld);
    const int nv = ABL_FN(vectors_for)(out, rb);
    const int nr = nv * VLEN;
    for (int j0 = 0; j0 < rb; j0 += nr) {
      const int lanes = rb - j0 < nr ? rb - j0 : nr;
      const int nve = (lanes + VLEN - 1) / VLEN;
      const int mr = ABL_FN(rows_per_tile)(out, ABL_FN(caps)[nve]);
      const int ldt = nve * VLEN;
      for (int o0 = 0; o0 < out; o0 += mr) {
        const int h = out - o0 < mr ? out - o0 : mr;
        ABL_FN(kernel)(nve, h)(in, w + o0 * in, in, 1, panel + j0, ld, tile, ldt, 0, 0);
        for (int l = 0; l < lanes; l++) {
          float *dst = y + (r0 + j0 + l) * ldy + o0;
          for (int o = 0; o < h; o++) dst[o] = tile[o * ldt + l] + b[o0 + o];
        }
      }
    }
  }
}

static void ABL_FN(linear_backward_input)(const float *dy, const float *w, float *dx, int rows, int in, int out,
                                          int accumulate, abl_scratch s) {
  ABL_FN(gemm)(rows, in, out, dy, out, 1, w, in, dx, in, accumulate, 0, s);
}

/*
 * dW[o0..o1) = dY[:, o0..o1)^T x: A(i, k) = dY(k, o0 + i), read down dY's columns. With
 * ABL_CONTIGUOUS_PANELS, a block of at least 16 features and at least 256 inputs first gets its
 * columns of dY copied next to each other: out floats apart in place (512 in the reference model),
 * o1 - o0 in the copy. Half the scratch at most, so that gemm keeps room for its sliver. The
 * reference model's weight blocks (64 features) ran 1.05-1.25x faster on Zen 3 with AVX2 and
 * 1.08-1.17x on Ice Lake with AVX-512 (at 64 and 128 rows); a 128-input layer lost 2% on Zen 3,
 * hence the 256 (BENCHMARKS.md, "The AVX2 path on a Zen 3 host" and "The contiguous panels on
 * AVX-512"). Only copies: the same bits.
 */
static void ABL_FN(linear_backward_weight)(const float *dy, const float *x, float *dw, int rows, int in, int out, int o0,
                                           int o1, abl_scratch s) {
  const int m = o1 - o0;
#ifdef ABL_CONTIGUOUS_PANELS
  const size_t packed = (size_t)rows * m;
  if (m >= 16 && in >= 256 && packed * sizeof(float) <= s.bytes / 2) {
    float *a = s.ptr;
    for (int k = 0; k < rows; k++)
      for (int i = 0; i < m; i++) a[(ptrdiff_t)k * m + i] = dy[(ptrdiff_t)k * out + o0 + i];
    const size_t used = (packed + 15) / 16 * 16; /* the rest starts on a 64-byte boundary */
    const abl_scratch rest = {s.ptr + used, s.bytes - used * sizeof(float)};
    ABL_FN(gemm)(m, in, rows, a, 1, m, x, in, dw + (ptrdiff_t)o0 * in, in, 0, 0, rest);
    return;
  }
#endif
  ABL_FN(gemm)(m, in, rows, dy + o0, 1, out, x, in, dw + (ptrdiff_t)o0 * in, in, 0, 0, s);
}
