/*
 * Elementwise kernels in portable C, the naive reference's double-precision expressions
 * (src/engine/kernels/naive/elementwise.ts), so mul, add and the penalty gradient equal it bit for
 * bit (sum_squares is with the optimizer updates, compiled per path: update_impl.h). Also the bias
 * gradient of the linear layer. Stateless; any thread, disjoint outputs.
 */
#include "kernels.h"

void abl_mul(const float *a, const float *b, float *out, int n) {
  for (int i = 0; i < n; i++) out[i] = a[i] * b[i];
}

void abl_add(const float *a, const float *b, float *out, int n) {
  for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
}

void abl_add_penalty_grad(const float *p, float *g, int n, double l1, double l2) {
  const double two_l2 = 2 * l2;
  for (int i = 0; i < n; i++) {
    const double w = p[i];
    const double sign = w > 0 ? 1.0 : w < 0 ? -1.0 : 0.0;
    g[i] = (float)((double)g[i] + (two_l2 * w + l1 * sign));
  }
}

void abl_bias_grad(const float *dy, float *db, int rows, int out, int o0, int o1) {
  for (int o = o0; o < o1; o++) db[o] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float *row = dy + (ptrdiff_t)r * out;
    for (int o = o0; o < o1; o++) db[o] += row[o];
  }
}
