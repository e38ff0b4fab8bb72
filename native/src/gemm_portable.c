/*
 * Portable linear products (gemm_impl.h over single floats): any CPU, any compiler. Multiply and
 * add stay separate (floating-point contraction is off for every native file), so this path's
 * bits differ from the FMA paths' but not between its own runs, splits or threads.
 */
#include <math.h>

#include "kernels.h"

#define ABL_FN(name) abl_portable_##name
#define VLEN 1
typedef float vf;
#define VZERO() 0.0f
#define VLOAD(p) (*(p))
#define VSTORE(p, v) (*(p) = (v))
#define VBCAST(p) (*(p))
#define VADD(a, b) ((a) + (b))
#define VFMA(a, b, c) ((a) * (b) + (c))
#define SFMA(a, b, c) ((a) * (b) + (c))
#define NV_MAX 4
#define ABL_MR_MAX 4
#define ABL_TILE_CAPS {0, 4, 4, 4, 4}
#define ABL_INSTANTIATE ABL_TILES(1, 4) ABL_TILES(2, 4) ABL_TILES(3, 4) ABL_TILES(4, 4)
#include "gemm_impl.h"
#include "update_impl.h"

const abl_gemm_isa abl_gemm_portable = {"portable", abl_portable_linear_forward, abl_portable_linear_backward_input,
                                        abl_portable_linear_backward_weight, abl_portable_sgd_step,
  abl_portable_adam_step, abl_portable_rmsprop_step, abl_portable_adagrad_step, abl_portable_sum_squares};
