/*
 * Where does a team of two lose its time, and would splitting the hidden layers by output features
 * instead of rows get it back? One SGD step of the reference MLP (784-512-512-10, ReLU, softmax
 * cross-entropy, batch 128, random inputs) on the native kernel set's own products (kernels.h),
 * with static work assignment and a spinning barrier, four ways:
 *   L  one thread, two chunks of 64 rows;
 *   R  two threads split by rows, as the engine's step: each thread the forward and input
 *      gradients of its 64 rows (two chunks of 32), then the weight gradients and the update of
 *      half of each hidden layer's output features (the output layer on thread 0);
 *   F  two threads split by features: each thread owns half of every hidden layer's neurons (their
 *      weights, forward outputs, weight gradients and update); the output layer goes by rows; the
 *      input gradient of the second hidden layer is two partial sums (one per half of its
 *      neurons), added per feature half in thread order, so its bits depend on the split;
 *   P  two threads split by rows except the first layer's forward, which is split by features:
 *      each thread computes its half of the first hidden layer's outputs for all rows (the half
 *      whose weight gradients and update it also computes, as in R), so that the first layer's
 *      weights (60% of the model's) are read and written by one core only; the rest as R.
 *      Every output element is computed as in R, so P trains bitwise as L (the engine's team
 *      since then: train/first-layer-split.ts).
 * First checks that the four train the same network (R and P bitwise equal to L; F within
 * rounding), then prints each one's samples/s, rounds in rotating order. WAITS=1: also each two-thread
 * run's share of time in barriers, per thread. PHASES=1 instead: each phase's time per step
 * summed over the threads, outside barriers, one thread against two. ONLY_L=1 instead: L only
 * (start two at once, pinned with taskset, for two independent runs).
 * Not part of the build or the tests; BENCHMARKS.md ("A team split by features ...", "The first
 * layer by features ...") was measured with it. x86-64 with AVX-512 (or AVX2: the kernels dispatch), from the repository root:
 *   S=native/src; gcc -O3 -march=native -ffp-contract=off -pthread -c native/test/feature_split_probe.c -o /tmp/fsp.o &&
 *   gcc -O3 -pthread /tmp/fsp.o $S/gemm_avx512.c $S/gemm_avx2.c $S/gemm_portable.c $S/cpu.c -lm -o /tmp/fsp &&
 *   /tmp/fsp [steps=400] [rounds=8]
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../src/kernels.h"

enum { B = 128, D0 = 784, D1 = 512, D2 = 512, D3 = 10, POOL = 8192 };
static const abl_gemm_isa *K;
static float *X, *W1, *b1, *W2, *b2, *W3, *b3, *gW1, *gb1, *gW2, *gb2, *gW3, *gb3;
static float *h1, *h2, *z3, *dz3, *dh2, *dz2, *dh1, *dz1;
static int *labels;
static float *priv[2], *part[2], *dzb[2];
static abl_scratch scr[2];
static const float LR = 0.01f;

static atomic_int count, gen;
static int nthreads;
static double waited[2];
static __thread int tid;
static double now(void);
static void barrier(void) {
  int g = atomic_load(&gen);
  if (atomic_fetch_add(&count, 1) == nthreads - 1) {
    atomic_store(&count, 0);
    atomic_fetch_add(&gen, 1);
  } else {
    double t0 = now();
    while (atomic_load(&gen) == g) __builtin_ia32_pause();
    waited[tid] += now() - t0;
  }
}

static float *alloc(size_t n) {
  float *p = aligned_alloc(64, ((n * 4 + 63) / 64) * 64);
  for (size_t i = 0; i < n; i++) p[i] = 0;
  return p;
}
static void relu(float *x, int n) {
  for (int i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : 0;
}
/* dz[r][f] = dh[r][f] * (h[r][f] > 0) on columns [f0, f0 + nf) of width-w rows, into a (rows x nf) buffer. */
static void relu_back_cols(const float *dh, const float *h, float *out, int rows, int w, int f0, int nf) {
  for (int r = 0; r < rows; r++)
    for (int f = 0; f < nf; f++) out[r * nf + f] = h[r * w + f0 + f] > 0 ? dh[r * w + f0 + f] : 0;
}
static void relu_back(const float *dh, const float *h, float *dz, int n) {
  for (int i = 0; i < n; i++) dz[i] = h[i] > 0 ? dh[i] : 0;
}
static void ce_grad(const float *z, const int *y, float *dz, int rows) {
  for (int r = 0; r < rows; r++) {
    float m = z[r * D3];
    for (int k = 1; k < D3; k++) m = fmaxf(m, z[r * D3 + k]);
    float s = 0;
    for (int k = 0; k < D3; k++) s += expf(z[r * D3 + k] - m);
    for (int k = 0; k < D3; k++) dz[r * D3 + k] = (expf(z[r * D3 + k] - m) / s - (k == y[r])) / B;
  }
}
static void bias_grad(const float *dy, float *db, int rows, int w, int f0, int f1) {
  for (int f = f0; f < f1; f++) db[f] = 0;
  for (int r = 0; r < rows; r++)
    for (int f = f0; f < f1; f++) db[f] += dy[r * w + f];
}
static void sgd(float *p, const float *g, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] -= LR * g[i];
}

/* Forward and input gradients of rows [r0, r0 + n): the engine's row unit; `first`: with the first layer's forward. */
static void rows_unit(const float *x, const int *y, int r0, int n, abl_scratch s, int first) {
  if (first) {
    K->linear_forward(x + r0 * D0, W1, b1, h1 + r0 * D1, n, D0, D1, D1, s);
    relu(h1 + r0 * D1, n * D1);
  }
  K->linear_forward(h1 + r0 * D1, W2, b2, h2 + r0 * D2, n, D1, D2, D2, s);
  relu(h2 + r0 * D2, n * D2);
  K->linear_forward(h2 + r0 * D2, W3, b3, z3 + r0 * D3, n, D2, D3, D3, s);
  ce_grad(z3 + r0 * D3, y + r0, dz3 + r0 * D3, n);
  K->linear_backward_input(dz3 + r0 * D3, W3, dh2 + r0 * D2, n, D2, D3, 0, s);
  relu_back(dh2 + r0 * D2, h2 + r0 * D2, dz2 + r0 * D2, n * D2);
  K->linear_backward_input(dz2 + r0 * D2, W2, dh1 + r0 * D1, n, D1, D2, 0, s);
  relu_back(dh1 + r0 * D1, h1 + r0 * D1, dz1 + r0 * D1, n * D1);
}

/* Weight gradients and update of output features [o0, o1) of the hidden layers (t == 0: the output layer too). */
static void weights_unit(const float *x, int o0, int o1, int t, abl_scratch s) {
  K->linear_backward_weight(dz2, h1, gW2, B, D1, D2, o0, o1, s);
  bias_grad(dz2, gb2, B, D2, o0, o1);
  K->linear_backward_weight(dz1, x, gW1, B, D0, D1, o0, o1, s);
  bias_grad(dz1, gb1, B, D1, o0, o1);
  if (t == 0) {
    K->linear_backward_weight(dz3, h2, gW3, B, D2, D3, 0, D3, s);
    bias_grad(dz3, gb3, B, D3, 0, D3);
  }
}
static void update_unit(int o0, int o1, int t) {
  sgd(W1 + o0 * D0, gW1 + o0 * D0, (size_t)(o1 - o0) * D0);
  sgd(b1 + o0, gb1 + o0, o1 - o0);
  sgd(W2 + o0 * D1, gW2 + o0 * D1, (size_t)(o1 - o0) * D1);
  sgd(b2 + o0, gb2 + o0, o1 - o0);
  if (t == 0) {
    sgd(W3, gW3, D3 * D2);
    sgd(b3, gb3, D3);
  }
}

static double phase_t[2][8];
#define MARK(i)                   \
  do {                            \
    double _n = now();            \
    phase_t[t][i] += _n - _m;     \
    _m = _n;                      \
  } while (0)

static void forward_own_half(const float *x, int in, const float *w, const float *b, float *h, int width, int f0, int nf,
                             float *yb, abl_scratch s);

/* `first_by_features`: P, the first layer's forward by output-feature halves, then a barrier. */
static void step_rows(int t, const float *x, const int *y, int first_by_features) {
  int per = B / nthreads, chunk = nthreads == 1 ? 64 : 32;
  double _m = now();
  if (first_by_features) {
    const int nf = D1 / nthreads;
    forward_own_half(x, D0, W1, b1, h1, D1, t * nf, nf, priv[t], scr[t]);
    barrier();
  }
  for (int r = t * per; r < (t + 1) * per; r += chunk) rows_unit(x, y, r, chunk, scr[t], !first_by_features);
  MARK(0);
  barrier();
  _m = now();
  int o0 = t * (D1 / nthreads), o1 = (t + 1) * (D1 / nthreads);
  weights_unit(x, o0, o1, t, scr[t]);
  MARK(1);
  barrier();
  _m = now();
  update_unit(o0, o1, t);
  MARK(2);
  barrier();
}

/* h[:, f0 .. f0 + nf) = relu(x w[f0 .. f0 + nf)^T + b[f0 ..]) for all rows, through the thread's buffer yb. */
static void forward_own_half(const float *x, int in, const float *w, const float *b, float *h, int width, int f0, int nf,
                             float *yb, abl_scratch s) {
  K->linear_forward(x, w + f0 * in, b + f0, yb, B, in, nf, nf, s);
  relu(yb, B * nf);
  for (int r = 0; r < B; r++) memcpy(h + r * width + f0, yb + r * nf, nf * sizeof(float));
}

static void step_features(int t, const float *x, const int *y) {
  const int nf = D1 / nthreads, f0 = t * nf;
  double _m = now();
  float *yb = priv[t], *dz = dzb[t], *p = part[t];
  abl_scratch s = scr[t];
  forward_own_half(x, D0, W1, b1, h1, D1, f0, nf, yb, s);
  MARK(0);
  barrier();
  _m = now();
  forward_own_half(h1, D1, W2, b2, h2, D2, f0, nf, yb, s);
  MARK(1);
  barrier();
  _m = now();
  const int per = B / nthreads, r0 = t * per;
  K->linear_forward(h2 + r0 * D2, W3, b3, z3 + r0 * D3, per, D2, D3, D3, s);
  ce_grad(z3 + r0 * D3, y + r0, dz3 + r0 * D3, per);
  K->linear_backward_input(dz3 + r0 * D3, W3, dh2 + r0 * D2, per, D2, D3, 0, s);
  MARK(2);
  barrier();
  _m = now();
  if (t == 0) {
    K->linear_backward_weight(dz3, h2, gW3, B, D2, D3, 0, D3, s);
    bias_grad(dz3, gb3, B, D3, 0, D3);
  }
  relu_back_cols(dh2, h2, dz, B, D2, f0, nf);
  MARK(3);
  K->linear_backward_weight(dz, h1, gW2 + f0 * D1, B, D1, nf, 0, nf, s);
  bias_grad(dz, gb2 + f0, B, nf, 0, nf);
  MARK(4);
  K->linear_backward_input(dz, W2 + f0 * D1, p, B, D1, nf, 0, s);
  MARK(5);
  barrier();
  _m = now();
  /* dh1[:, own half] = the partials summed in thread order, then the ReLU's derivative. */
  for (int r = 0; r < B; r++) {
    const float *p0 = part[0] + r * D1 + f0, *p1 = part[1] + r * D1 + f0, *hr = h1 + r * D1 + f0;
    float *dr = dz + r * nf;
    if (nthreads == 1)
      for (int f = 0; f < nf; f++) dr[f] = hr[f] > 0 ? p0[f] : 0;
    else
      for (int f = 0; f < nf; f++) dr[f] = hr[f] > 0 ? p0[f] + p1[f] : 0;
  }
  MARK(6);
  K->linear_backward_weight(dz, x, gW1 + f0 * D0, B, D0, nf, 0, nf, s);
  bias_grad(dz, gb1 + f0, B, nf, 0, nf);
  update_unit(f0, f0 + nf, t);
  MARK(7);
  /* No barrier: the next step's first phase reads and writes only this thread's half until its barrier. */
}

static int mode, steps;
static void *worker(void *arg) {
  int t = (int)(long)arg;
  tid = t;
  for (int i = 0; i < steps; i++) {
    int b0 = (i * B) % POOL;
    const float *x = X + (size_t)b0 * D0;
    const int *y = labels + b0;
    if (mode == 'F') step_features(t, x, y);
    else step_rows(t, x, y, mode == 'P');
  }
  barrier();
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double run(int m, int n) {
  mode = m, nthreads = n;
  pthread_t th[2];
  waited[0] = waited[1] = 0;
  double t0 = now();
  for (int t = 1; t < n; t++) pthread_create(&th[t], NULL, worker, (void *)(long)t);
  worker(0);
  for (int t = 1; t < n; t++) pthread_join(th[t], NULL);
  double w = now() - t0;
  if (n == 2 && getenv("WAITS")) printf("  %c: wait %.1f%% / %.1f%% of %.3f s\n", m, 100 * waited[0] / w, 100 * waited[1] / w, w);
  return (double)steps * B / w;
}

static unsigned rng = 12345;
static float frand(void) {
  rng = rng * 1664525u + 1013904223u;
  return (rng >> 8) / 16777216.0f;
}
static void init(float *w, int out, int in) {
  float a = sqrtf(6.0f / in);
  for (int i = 0; i < out * in; i++) w[i] = (2 * frand() - 1) * a;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  const char *err;
  K = abl_gemm_select(&err);
  steps = argc > 1 ? atoi(argv[1]) : 400;
  int rounds = argc > 2 ? atoi(argv[2]) : 8;
  X = alloc((size_t)POOL * D0);
  labels = malloc(POOL * sizeof(int));
  for (size_t i = 0; i < (size_t)POOL * D0; i++) X[i] = frand();
  for (int i = 0; i < POOL; i++) labels[i] = i % 10;
  W1 = alloc(D1 * D0), b1 = alloc(D1), W2 = alloc(D2 * D1), b2 = alloc(D2), W3 = alloc(D3 * D2), b3 = alloc(D3);
  gW1 = alloc(D1 * D0), gb1 = alloc(D1), gW2 = alloc(D2 * D1), gb2 = alloc(D2), gW3 = alloc(D3 * D2), gb3 = alloc(D3);
  init(W1, D1, D0), init(W2, D2, D1), init(W3, D3, D2);
  h1 = alloc(B * D1), h2 = alloc(B * D2), z3 = alloc(B * D3), dz3 = alloc(B * D3);
  dh2 = alloc(B * D2), dz2 = alloc(B * D2), dh1 = alloc(B * D1), dz1 = alloc(B * D1);
  for (int t = 0; t < 2; t++) {
    priv[t] = alloc(B * D1), part[t] = alloc(B * D1), dzb[t] = alloc(B * D1);
    scr[t].bytes = 16u << 20;
    scr[t].ptr = alloc(scr[t].bytes / 4);
  }
  printf("path %s, %d steps per run\n", K->name, steps);
  {
    /* The four ways train the same network: weights after `steps` steps from the same start. */
    float *ref[4];
    for (int j = 0; j < 4; j++) {
      rng = 777;
      init(W1, D1, D0), init(W2, D2, D1), init(W3, D3, D2);
      memset(b1, 0, D1 * 4), memset(b2, 0, D2 * 4), memset(b3, 0, D3 * 4);
      j == 0 ? run('R', 1) : j == 1 ? run('R', 2) : j == 2 ? run('F', 2) : run('P', 2);
      ref[j] = alloc(D1 * D0 + D2 * D1 + D3 * D2);
      memcpy(ref[j], W1, D1 * D0 * 4), memcpy(ref[j] + D1 * D0, W2, D2 * D1 * 4), memcpy(ref[j] + D1 * D0 + D2 * D1, W3, D3 * D2 * 4);
    }
    int n = D1 * D0 + D2 * D1 + D3 * D2;
    double dR = 0, dF = 0, dP = 0, moved = 0;
    rng = 777;
    init(W1, D1, D0);
    for (int i = 0; i < D1 * D0; i++) moved = fmax(moved, fabs(ref[0][i] - W1[i]));
    for (int i = 0; i < n; i++)
      dR = fmax(dR, fabs(ref[1][i] - ref[0][i])), dF = fmax(dF, fabs(ref[2][i] - ref[0][i])), dP = fmax(dP, fabs(ref[3][i] - ref[0][i]));
    printf("max |W - W(L)| after %d steps: R %.3g, F %.3g, P %.3g (the first layer moved up to %.3g)\n", steps, dR, dF, dP, moved);
  }
  run('R', 1); /* warm-up */
  if (getenv("PHASES")) {
    /* Each phase's time per step, summed over the threads, outside barriers: best of the rounds. */
    const char *names_r[3] = {"rows: fwd, dX", "weights: dW", "update"};
    const char *names_f[8] = {"fwd1 (own half)", "fwd2 (own half)", "output layer", "relu' of dh2", "dW2", "dX2 partial", "sum partials", "dW1, update"};
    for (int m = 0; m < 2; m++)
      for (int n = 1; n <= 2; n++) {
        int np = m == 0 ? 3 : 8;
        double best[8] = {0}, tot = 0;
        for (int k = 0; k < rounds; k++) {
          memset(phase_t, 0, sizeof phase_t);
          run(m == 0 ? 'R' : 'F', n);
          for (int i = 0; i < np; i++) {
            double v = (phase_t[0][i] + phase_t[1][i]) / steps * 1e6;
            if (k == 0 || v < best[i]) best[i] = v;
          }
        }
        printf("%c with %d thread(s), us per step summed over threads (best of %d):\n", m == 0 ? 'R' : 'F', n, rounds);
        for (int i = 0; i < np; i++) printf("  %-16s %7.1f\n", (m == 0 ? names_r : names_f)[i], best[i]), tot += best[i];
        printf("  %-16s %7.1f\n", "all", tot);
      }
    return 0;
  }
  if (getenv("ONLY_L")) {
    for (int k = 0; k < rounds; k++) printf("L %.0f\n", run('R', 1));
    return 0;
  }
  double r[4][64];
  const char *names[4] = {"L  one thread      ", "R  rows, 2 threads ", "F  features, 2 thr.", "P  layer 1 by feat."};
  for (int k = 0; k < rounds; k++) {
    for (int j = 0; j < 4; j++) {
      int jj = (j + k) % 4;
      r[jj][k] = jj == 0 ? run('R', 1) : jj == 1 ? run('R', 2) : jj == 2 ? run('F', 2) : run('P', 2);
    }
    printf("round %d: L %.0f  R %.0f (%.2fx)  F %.0f (%.2fx)  P %.0f (%.2fx)\n", k, r[0][k], r[1][k], r[1][k] / r[0][k], r[2][k],
           r[2][k] / r[0][k], r[3][k], r[3][k] / r[0][k]);
  }
  for (int j = 0; j < 4; j++) {
    qsort(r[j], rounds, sizeof(double), cmp);
    printf("%s median %.0f  best %.0f\n", names[j], r[j][rounds / 2], r[j][rounds - 1]);
  }
  printf("best R / best L %.3f, best F / best L %.3f, best P / best L %.3f\n", r[1][rounds - 1] / r[0][rounds - 1],
         r[2][rounds - 1] / r[0][rounds - 1], r[3][rounds - 1] / r[0][rounds - 1]);
  return 0;
}
