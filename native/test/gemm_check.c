/*
 * Stand-alone check of the linear products of every instruction-set path compiled for this
 * machine (or, cross-compiled, for another one run under an emulator): for each path the CPU
 * supports, awkward shapes against a double-precision reference (|got - ref| <= 1e-5 * sum |terms|),
 * row and feature splits bit for bit, and a FNV-1a hash of all outputs of a fixed problem, printed
 * so that runs on different paths or machines can be compared (the FMA paths must agree). Also a
 * hash of the parameter passes (SGD, Adam, sum of squares: update_impl.h) on awkward lengths and
 * special values, which every path, the portable one included, must give bit for bit.
 * Usage: gemm_check   -> one line per path: "<path> ok <hash> <update hash>" or "<path> FAIL ...";
 * exit 1 on failure.
 * Built and run by test/native-paths.test.ts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/kernels.h"

static unsigned rng_state = 12345;
static float rnd(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return (float)((rng_state >> 8) & 0xffffff) / 8388608.0f - 1.0f;
}

static unsigned long long hash = 1469598103934665603ull;
static void mix(const float *a, size_t n) {
  const unsigned char *p = (const unsigned char *)a;
  for (size_t i = 0; i < n * 4; i++) hash = (hash ^ p[i]) * 1099511628211ull;
}

static int failures = 0;
static void expect_close(const char *what, const float *got, const double *ref, const double *mag, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!(fabs(got[i] - ref[i]) <= 1e-5 * mag[i] + 1e-30)) {
      printf("  %s element %zu: %g vs %g\n", what, i, got[i], ref[i]);
      failures++;
      return;
    }
  }
}
static void expect_bits(const char *what, const float *a, const float *b, size_t n) {
  if (memcmp(a, b, n * 4) != 0) {
    printf("  %s: splits changed bits\n", what);
    failures++;
  }
}

static void check_shape(const abl_gemm_isa *isa, int rows, int in, int out, abl_scratch s) {
  float *x = malloc(sizeof(float) * rows * in), *w = malloc(sizeof(float) * out * in), *b = malloc(sizeof(float) * out);
  float *dy = malloc(sizeof(float) * rows * out), *y = malloc(sizeof(float) * rows * out), *y2 = malloc(sizeof(float) * rows * out);
  float *dx = malloc(sizeof(float) * rows * in), *dx2 = malloc(sizeof(float) * rows * in);
  float *dw = malloc(sizeof(float) * out * in), *dw2 = malloc(sizeof(float) * out * in);
  double *ref = malloc(sizeof(double) * (rows * in + out * in + rows * out)), *mag = malloc(sizeof(double) * (rows * in + out * in + rows * out));
  for (int i = 0; i < rows * in; i++) x[i] = rnd();
  for (int i = 0; i < out * in; i++) w[i] = rnd();
  for (int i = 0; i < out; i++) b[i] = rnd();
  for (int i = 0; i < rows * out; i++) dy[i] = rnd();
  isa->linear_forward(x, w, b, y, rows, in, out, out, s);
  for (int r = 0; r < rows; r++)
    for (int o = 0; o < out; o++) {
      double acc = 0, m = fabs(b[o]);
      for (int k = 0; k < in; k++) acc += (double)x[r * in + k] * w[o * in + k], m += fabs((double)x[r * in + k] * w[o * in + k]);
      ref[r * out + o] = acc + b[o];
      mag[r * out + o] = m;
    }
  expect_close("forward", y, ref, mag, (size_t)rows * out);
  isa->linear_backward_input(dy, w, dx, rows, in, out, 0, s);
  for (int r = 0; r < rows; r++)
    for (int i = 0; i < in; i++) {
      double acc = 0, m = 0;
      for (int o = 0; o < out; o++) acc += (double)dy[r * out + o] * w[o * in + i], m += fabs((double)dy[r * out + o] * w[o * in + i]);
      ref[r * in + i] = acc;
      mag[r * in + i] = m;
    }
  expect_close("dX", dx, ref, mag, (size_t)rows * in);
  isa->linear_backward_weight(dy, x, dw, rows, in, out, 0, out, s);
  for (int o = 0; o < out; o++)
    for (int i = 0; i < in; i++) {
      double acc = 0, m = 0;
      for (int r = 0; r < rows; r++) acc += (double)dy[r * out + o] * x[r * in + i], m += fabs((double)dy[r * out + o] * x[r * in + i]);
      ref[o * in + i] = acc;
      mag[o * in + i] = m;
    }
  expect_close("dW", dw, ref, mag, (size_t)out * in);
  /* Splits: rows 0..1, 1..rows/2, rest; features 0..1, 1..out. */
  int cuts[3] = {rows > 1 ? 1 : rows, rows / 2 > 1 ? rows / 2 : (rows > 1 ? 1 : rows), rows};
  int r0 = 0;
  for (int c = 0; c < 3; c++) {
    if (cuts[c] <= r0) continue;
    isa->linear_forward(x + r0 * in, w, b, y2 + r0 * out, cuts[c] - r0, in, out, out, s);
    isa->linear_backward_input(dy + r0 * out, w, dx2 + r0 * in, cuts[c] - r0, in, out, 0, s);
    r0 = cuts[c];
  }
  expect_bits("forward rows", y, y2, (size_t)rows * out);
  expect_bits("dX rows", dx, dx2, (size_t)rows * in);
  const int o1 = out > 1 ? 1 : out;
  isa->linear_backward_weight(dy, x, dw2, rows, in, out, 0, o1, s);
  isa->linear_backward_weight(dy, x, dw2, rows, in, out, o1, out, s);
  expect_bits("dW features", dw, dw2, (size_t)out * in);
  /* The forward by blocks of output features into the whole y (rows out apart), as a team's first
   * layer: features 0..1, 1..out/2 + 1, the rest. */
  memset(y2, 0, sizeof(float) * rows * out);
  const int f1 = out > 1 ? 1 : out, f2 = out / 2 + 1 < out ? out / 2 + 1 : out;
  isa->linear_forward(x, w, b, y2, rows, in, f1, out, s);
  if (f2 > f1) isa->linear_forward(x, w + (ptrdiff_t)f1 * in, b + f1, y2 + f1, rows, in, f2 - f1, out, s);
  if (out > f2) isa->linear_forward(x, w + (ptrdiff_t)f2 * in, b + f2, y2 + f2, rows, in, out - f2, out, s);
  expect_bits("forward features", y, y2, (size_t)rows * out);
  mix(y, (size_t)rows * out);
  mix(dx, (size_t)rows * in);
  mix(dw, (size_t)out * in);
  free(x), free(w), free(b), free(dy), free(y), free(y2), free(dx), free(dx2), free(dw), free(dw2), free(ref), free(mag);
}

/* SGD in its plain and general forms, Adam coupled and decoupled, RMSprop plain and centered with
 * momentum, Adagrad, sum of squares; unaligned starts,
 * lengths that are no multiple of any vector, NaN, infinities, signed zeros and large values. */
static unsigned long long update_hash(const abl_gemm_isa *isa) {
  enum { N = 1003 };
  static float p[N + 3], g[N + 3], m[N + 3], v[N + 3], w[N + 3];
  const float special[] = {0.0f, -0.0f, NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 1e-40f};
  unsigned long long h = 1469598103934665603ull;
  const unsigned long long saved = hash;
  const abl_sgd_args sgd[] = {{0.05, 0, 0, 0, 1, INFINITY, 0, 0},
                              {0.05, 0.9, 0.1, 1e-4, 1, INFINITY, 0, 1},
                              {0.05, 0.9, 0, 1e-3, 0.37, INFINITY, 1, 0},
                              {0.05, 0.5, 0.5, 0, 1, 0.01, 0, 0}};
  const abl_adam_args adam[] = {{0.9, 0.999, 1e-8, 0, 1e-3, 0.9, 1, 1, INFINITY, 0},
                                {0.9, 0.999, 1e-8, 1e-2, 1e-3, 0.3, 1, 0.25, 0.05, 1}};
  const abl_rmsprop_args rmsprop[] = {{0.01, 0.99, 1e-8, 0, 0, 1, INFINITY, 0}, {0.01, 0.9, 1e-6, 1e-3, 0.9, 0.5, 0.05, 1}};
  const abl_adagrad_args adagrad[] = {{0.01, 1e-10, 0, 1, INFINITY}, {0.005, 1e-10, 1e-2, 0.25, 0.05}};
  for (int c = 0; c < 10; c++) {
    for (int i = 0; i < N + 3; i++) {
      p[i] = rnd(), g[i] = rnd() * 3, m[i] = rnd(), v[i] = fabsf(rnd()), w[i] = rnd();
      if (i % 97 < 8) g[i] = special[i % 97];
      if (i % 89 < 8) p[i] = special[i % 89];
    }
    for (int n = 0; n <= N; n += N / 3 + 7) {
      if (c < 4) isa->sgd_step(p + 3, g + 1, m + 2, n, &sgd[c]);
      else if (c < 6) isa->adam_step(p + 3, g + 1, m + 2, v + 1, n, &adam[c - 4]);
      else if (c < 8) isa->rmsprop_step(p + 3, g + 1, v + 1, m + 2, w, n, &rmsprop[c - 6]);
      else isa->adagrad_step(p + 3, g + 1, v + 1, n, &adagrad[c - 8]);
    }
    const double sq[2] = {isa->sum_squares(g + 1, N), isa->sum_squares(p + 2, N - 5)};
    /* NaN payloads are not part of the contract (JavaScript sees one NaN; compilers may swap the
     * operands of a product): every NaN hashes alike. */
    for (int i = 0; i < N + 3; i++) {
      if (isnan(p[i])) p[i] = NAN;
      if (isnan(m[i])) m[i] = NAN;
      if (isnan(v[i])) v[i] = NAN;
      if (isnan(w[i])) w[i] = NAN;
    }
    const double sqd[2] = {isnan(sq[0]) ? NAN : sq[0], isnan(sq[1]) ? NAN : sq[1]};
    hash = h;
    mix(p, N + 3), mix(m, N + 3), mix(v, N + 3), mix(w, N + 3), mix((const float *)sqd, 4);
    h = hash;
  }
  hash = saved;
  return h;
}

int main(void) {
  static const int shapes[][3] = {{1, 1, 1}, {3, 17, 3}, {17, 255, 17}, {5, 513, 10}, {16, 784, 512}, {33, 3, 784}, {128, 512, 10}, {64, 100, 255},
                                  /* the forward's padded panel (128 rows), and its block cut to fit it (2048 inputs) */
                                  {128, 200, 70}, {130, 2048, 70}};
  const char *names = abl_gemm_supported();
  char list[64];
  strncpy(list, names, sizeof list - 1);
  list[sizeof list - 1] = 0;
  static float scratch_mem[1 << 18]; /* 1 MiB, as the engine's per-thread region */
  const abl_scratch s = {scratch_mem, sizeof scratch_mem};
  int bad = 0;
  for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
    const abl_gemm_isa *isa = NULL;
    if (!strcmp(name, "portable")) isa = &abl_gemm_portable;
#ifdef ABL_X86
    if (!strcmp(name, "avx2")) isa = &abl_gemm_avx2;
    if (!strcmp(name, "avx512")) isa = &abl_gemm_avx512;
#endif
#ifdef ABL_ARM64
    if (!strcmp(name, "neon")) isa = &abl_gemm_neon;
#endif
    rng_state = 12345;
    hash = 1469598103934665603ull;
    failures = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) check_shape(isa, shapes[i][0], shapes[i][1], shapes[i][2], s);
    printf("%s %s %016llx %016llx\n", name, failures ? "FAIL" : "ok", hash, update_hash(isa));
    bad |= failures != 0;
  }
  return bad;
}
