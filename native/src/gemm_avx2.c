/*
 * AVX2 + FMA linear products (gemm_impl.h over 8-float vectors), for x86-64 CPUs without
 * AVX-512 (and forced with ABLATE_NATIVE_ISA=avx2 to measure it on one that has it). 16 vector
 * registers: tiles of up to 12 rows by 1 vector, 6 by 2. B's slivers, the forward's panel and
 * dW's columns of dY are read off strides of 128 floats (ABL_CONTIGUOUS_PANELS): measured on
 * Zen 3 only, the one CPU without AVX-512 we could measure.
 */
#include <math.h>

#include "kernels.h"
#ifdef ABL_X86
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#elif defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif
#include <immintrin.h>

#define ABL_FN(name) abl_avx2_##name
#define VLEN 8
typedef __m256 vf;
#define VZERO() _mm256_setzero_ps()
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
/* Not _mm256_broadcast_ss: GCC treats that builtin as touching memory, so the tile's accumulator
 * array would be written back to the stack on every step of the k loop. */
#define VBCAST(p) _mm256_set1_ps(*(p))
#define VADD(a, b) _mm256_add_ps(a, b)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SFMA(a, b, c) _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)))
/* For the register transpose (transpose_x86.h). */
#define VUNPACKLO(a, b) _mm256_unpacklo_ps(a, b)
#define VUNPACKHI(a, b) _mm256_unpackhi_ps(a, b)
#define VSHUFFLE(a, b, imm) _mm256_shuffle_ps(a, b, imm)
#define NV_MAX 2
#define ABL_MR_MAX 12
#define ABL_TILE_CAPS {0, 12, 6}
#define ABL_INSTANTIATE ABL_TILES(1, 12) ABL_TILES(2, 6)
#include "transpose_x86.h"
/* 8 x 8 transpose in three shuffle stages (rows nrows..7 read as zeros): the shared two, then the 128-bit halves. */
static inline void abl_avx2_transpose(const float *src, ptrdiff_t ls, int nrows, float *dst, ptrdiff_t ld) {
  __m256 r[8], t[8];
  abl_avx2_transpose_head(src, ls, nrows, r, t);
  for (int j = 0; j < 4; j++) {
    t[j] = _mm256_permute2f128_ps(r[j], r[j + 4], 0x20);
    t[j + 4] = _mm256_permute2f128_ps(r[j], r[j + 4], 0x31);
  }
  for (int i = 0; i < 8; i++) _mm256_storeu_ps(dst + i * ld, t[i]);
}
#define ABL_TRANSPOSE abl_avx2_transpose
#define ABL_CONTIGUOUS_PANELS
#include "gemm_impl.h"
#include "update_impl.h"

const abl_gemm_isa abl_gemm_avx2 = {"avx2", abl_avx2_linear_forward, abl_avx2_linear_backward_input,
                                    abl_avx2_linear_backward_weight, abl_avx2_sgd_step,
  abl_avx2_adam_step, abl_avx2_rmsprop_step, abl_avx2_adagrad_step, abl_avx2_sum_squares};
#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
