/*
 * AVX-512F + FMA linear products (gemm_impl.h over 16-float vectors). Compiled for AVX-512 by the
 * target pragma below (GCC, clang) or as it is (MSVC accepts the intrinsics anywhere); called only
 * when cpu.c found AVX-512F with the OS saving its registers. 32 vector registers: tiles of up to
 * 24 rows by 1 vector, 12 by 2, 8 by 3, 6 by 4. Operands off strides of 128 floats are copied
 * (ABL_CONTIGUOUS_PANELS), as on AVX2: measured on Ice Lake.
 */
#include <math.h>

#include "kernels.h"
#ifdef ABL_X86
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#elif defined(__GNUC__)
#pragma GCC target("avx512f,avx2,fma")
#endif
#include <immintrin.h>

#define ABL_FN(name) abl_avx512_##name
#define VLEN 16
typedef __m512 vf;
#define VZERO() _mm512_setzero_ps()
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VBCAST(p) _mm512_set1_ps(*(p))
#define VADD(a, b) _mm512_add_ps(a, b)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SFMA(a, b, c) _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)))
/* For the register transpose (transpose_x86.h). */
#define VUNPACKLO(a, b) _mm512_unpacklo_ps(a, b)
#define VUNPACKHI(a, b) _mm512_unpackhi_ps(a, b)
#define VSHUFFLE(a, b, imm) _mm512_shuffle_ps(a, b, imm)
#define NV_MAX 4
#define ABL_MR_MAX 24
#define ABL_TILE_CAPS {0, 12, 12, 8, 6}
#define ABL_INSTANTIATE ABL_TILES(1, 24) ABL_TILES(2, 12) ABL_TILES(3, 8) ABL_TILES(4, 6)
#include "transpose_x86.h"
/* 16 x 16 transpose in four shuffle stages (rows nrows..15 read as zeros): the shared two, then the 128-bit lanes. */
static inline void abl_avx512_transpose(const float *src, ptrdiff_t ls, int nrows, float *dst, ptrdiff_t ld) {
  __m512 r[16], t[16];
  abl_avx512_transpose_head(src, ls, nrows, r, t);
  for (int i = 0; i < 16; i += 8) {
    for (int j = 0; j < 4; j++) {
      t[i + j] = _mm512_shuffle_f32x4(r[i + j], r[i + j + 4], 0x88);
      t[i + j + 4] = _mm512_shuffle_f32x4(r[i + j], r[i + j + 4], 0xDD);
    }
  }
  for (int j = 0; j < 8; j++) {
    r[j] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0x88);
    r[j + 8] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0xDD);
  }
  for (int i = 0; i < 16; i++) _mm512_storeu_ps(dst + i * ld, r[i]);
}
#define ABL_TRANSPOSE abl_avx512_transpose
#define ABL_CONTIGUOUS_PANELS
#include "gemm_impl.h"
#include "update_impl.h"

const abl_gemm_isa abl_gemm_avx512 = {"avx512", abl_avx512_linear_forward, abl_avx512_linear_backward_input,
                                      abl_avx512_linear_backward_weight, abl_avx512_sgd_step,
  abl_avx512_adam_step, abl_avx512_rmsprop_step, abl_avx512_adagrad_step, abl_avx512_sum_squares};
#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
