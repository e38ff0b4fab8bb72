/*
 * ARM NEON linear products (gemm_impl.h over 4-float vectors, vfmaq_f32 is fused). NEON is part
 * of every AArch64 CPU, so this path is always available there. 32 vector registers: tiles of up
 * to 24 rows by 1 vector, 12 by 2, 8 by 3, 6 by 4.
 */
#include <math.h>

#include "kernels.h"
#ifdef ABL_ARM64
#include <arm_neon.h>

#define ABL_FN(name) abl_neon_##name
#define VLEN 4
typedef float32x4_t vf;
#define VZERO() vdupq_n_f32(0.0f)
#define VLOAD(p) vld1q_f32(p)
#define VSTORE(p, v) vst1q_f32(p, v)
#define VBCAST(p) vdupq_n_f32(*(p))
#define VADD(a, b) vaddq_f32(a, b)
#define VFMA(a, b, c) vfmaq_f32(c, a, b)
#define SFMA(a, b, c) vgetq_lane_f32(vfmaq_f32(vdupq_n_f32(c), vdupq_n_f32(a), vdupq_n_f32(b)), 0)
#define NV_MAX 4
#define ABL_MR_MAX 24
#define ABL_TILE_CAPS {0, 24, 12, 8, 6}
#define ABL_INSTANTIATE ABL_TILES(1, 24) ABL_TILES(2, 12) ABL_TILES(3, 8) ABL_TILES(4, 6)
#include "gemm_impl.h"
#include "update_impl.h"

const abl_gemm_isa abl_gemm_neon = {"neon", abl_neon_linear_forward, abl_neon_linear_backward_input,
                                    abl_neon_linear_backward_weight, abl_neon_sgd_step,
  abl_neon_adam_step, abl_neon_rmsprop_step, abl_neon_adagrad_step, abl_neon_sum_squares};
#endif
