/*
 * The native kernel set's C interface: every kernel of the Kernels contract
 * (src/engine/kernels/types.ts) on raw float pointers into the run memory.
 *
 * The three linear products and the parameter passes (optimizer updates, sum of squares) are
 * dispatched per CPU (one `gemm_isa` table per instruction set, chosen once per process by
 * cpu.c); every other kernel is portable C compiled once. Contraction is off everywhere, and the
 * parameter passes are plain C (update_impl.h), so their bits are the same whichever path runs.
 *
 * Determinism: every output element of a product is computed as acc = +0, then
 * acc = fma(a_k, b_k, acc) for k = 0, 1, ... (separate multiply and add on the portable path),
 * then the epilogue (+ bias, or old value + acc). Tile shapes, edges, row or feature splits and
 * threads never change that sequence, so results are partition invariant; the FMA paths (AVX-512,
 * AVX2, NEON) give identical bits to each other.
 */
#ifndef ABLATE_KERNELS_H
#define ABLATE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#if defined(_MSC_VER)
#define ABL_INLINE static __forceinline
#define ABL_NOINLINE static __declspec(noinline)
#define ABL_RESTRICT __restrict
#define ABL_UNROLL(n)
#else
#define ABL_INLINE static inline __attribute__((always_inline))
#define ABL_NOINLINE static __attribute__((noinline))
#define ABL_RESTRICT __restrict__
/* Unroll the next loop n times (GCC's pragma; clang accepts it too). */
#define ABL_PRAGMA(x) _Pragma(#x)
#define ABL_UNROLL(n) ABL_PRAGMA(GCC unroll n)
#endif

/* Per-thread scratch for packed operands (a region of the run memory owned by one thread). */
typedef struct {
  float *ptr;
  size_t bytes;
} abl_scratch;

typedef struct abl_sgd_args abl_sgd_args;
typedef struct abl_adam_args abl_adam_args;
typedef struct abl_rmsprop_args abl_rmsprop_args;
typedef struct abl_adagrad_args abl_adagrad_args;

/* One instruction set's linear products (see kernels.h's determinism note) and its builds of the
 * parameter passes (update_impl.h: the same bits on every path). */
typedef struct {
  const char *name;
  /* y(rows, out) = x(rows, in) w(out, in)^T + b(out); y's rows ldy floats apart */
  void (*linear_forward)(const float *x, const float *w, const float *b, float *y, int rows, int in, int out, ptrdiff_t ldy,
                         abl_scratch s);
  /* dX(rows, in) (+)= dY(rows, out) w(out, in) */
  void (*linear_backward_input)(const float *dy, const float *w, float *dx, int rows, int in, int out, int accumulate,
                                abl_scratch s);
  /* dW[o, :] = sum_r dY[r, o] x[r, :] for o in [o0, o1) (db is computed by the caller) */
  void (*linear_backward_weight)(const float *dy, const float *x, float *dw, int rows, int in, int out, int o0, int o1,
                                 abl_scratch s);
  void (*sgd_step)(float *p, const float *g, float *buf, int n, const abl_sgd_args *a);
  void (*adam_step)(float *p, const float *g, float *m, float *v, int n, const abl_adam_args *a);
  void (*rmsprop_step)(float *p, const float *g, float *sq, float *ga, float *buf, int n, const abl_rmsprop_args *a);
  void (*adagrad_step)(float *p, const float *g, float *sum, int n, const abl_adagrad_args *a);
  double (*sum_squares)(const float *x, int n);
} abl_gemm_isa;

extern const abl_gemm_isa abl_gemm_portable;
#if defined(__x86_64__) || defined(_M_X64)
#define ABL_X86 1
extern const abl_gemm_isa abl_gemm_avx2;
extern const abl_gemm_isa abl_gemm_avx512;
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
#define ABL_ARM64 1
extern const abl_gemm_isa abl_gemm_neon;
#endif

/* cpu.c: the table for this process (chosen once; ABLATE_NATIVE_ISA may force a supported one). */
const abl_gemm_isa *abl_gemm_select(const char **error);
/* Comma-separated names of the paths this CPU supports, best first. */
const char *abl_gemm_supported(void);

/* db[o] = sum_r dY[r, o] for o in [o0, o1), ascending r from +0 in float. */
void abl_bias_grad(const float *dy, float *db, int rows, int out, int o0, int o1);

/* The activation function, a struct argument of the activation kernels in the kernel contract. */
typedef struct {
  int code;
  double alpha;
} abl_activation_fn;

/* activations.c */
void abl_activation_forward(int code, double alpha, const float *in, float *out, int n);
void abl_activation_backward(int code, double alpha, const float *in, const float *out, const float *dout, float *din, int n);

/* batchnorm.c */
void abl_bn_stats(const float *x, float *mean, float *var, int rows, int width, int f0, int f1);
void abl_bn_apply(const float *x, const float *mean, const float *rstd, const float *gamma, const float *beta, float *xhat,
                  float *y, int rows, int width);
void abl_bn_backward_reduce(const float *dy, const float *xhat, float *dgamma, float *dbeta, int rows, int width, int f0,
                            int f1);
void abl_bn_backward_input(const float *dy, const float *xhat, const float *gamma, const float *rstd, const float *dgamma,
                           const float *dbeta, float *dx, int rows, int width, int batch);

/* elementwise.c */
void abl_mul(const float *a, const float *b, float *out, int n);
void abl_add(const float *a, const float *b, float *out, int n);
/* The penalty coefficients, a struct argument of addPenaltyGrad in the kernel contract. */
typedef struct {
  double l1, l2;
} abl_penalties;
void abl_add_penalty_grad(const float *p, float *g, int n, double l1, double l2);

/* Optimizer arguments (update_impl.h) */
struct abl_sgd_args {
  double lr, momentum, dampening, weight_decay, grad_scale, clip_value;
  int nesterov, first;
};
struct abl_adam_args {
  double beta1, beta2, eps, weight_decay, step_size, bc2_sqrt, decay, grad_scale, clip_value;
  int decoupled;
};
struct abl_rmsprop_args {
  double lr, alpha, eps, weight_decay, momentum, grad_scale, clip_value;
  int centered;
};
struct abl_adagrad_args {
  double clr, eps, weight_decay, grad_scale, clip_value;
};

#endif
