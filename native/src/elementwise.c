/*
 * Elementwise kernels in portable C, the naive reference's double-precision expressions
 * (src/engine/kernels/naive/elementwise.ts), so mul, add and the penalty gradient equal it bit for
 * bit. sum_squares keeps eight double partial sums (element i goes to partial i % 8), combined in a
 * fixed tree, then the last n % 8 squares in order: its bits depend on n and the data alone.
 * Also the bias gradient of the linear layer. Stateless; any thread, disjoint outputs.
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

double abl_sum_squares(const float *x, int n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int l = 0; l < 8; l++) {
      const double v = x[i + l];
      s[l] += v * v;
    }
  }
  double t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < n; i++) {
    const double v = x[i];
    t += v * v;
  }
  return t;
}

void abl_bias_grad(const float *dy, float *db, int rows, int out, int o0, int o1) {
  for (int o = o0; o < o1; o++) db[o] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float *row = dy + (ptrdiff_t)r * out;
    for (int o = o0; o < o1; o++) db[o] += row[o];
  }
}
