/*
 * Training-mode batch-norm kernels in portable C, the naive reference's double-precision
 * expressions (src/engine/kernels/naive/batchnorm.ts): per-feature sums over rows in ascending
 * order from +0, so results equal the reference bit for bit and do not depend on how rows or
 * features are split. Rows are walked outermost (features contiguous), with per-feature partial
 * sums for a block of features on the stack. Stateless; any thread, disjoint outputs; dX may alias dY.
 */
#include "kernels.h"

#define BLOCK 256

void abl_bn_stats(const float *x, float *mean, float *var, int rows, int width, int f0, int f1) {
  double s[BLOCK], m[BLOCK];
  for (int b0 = f0; b0 < f1; b0 += BLOCK) {
    const int nb = f1 - b0 < BLOCK ? f1 - b0 : BLOCK;
    for (int f = 0; f < nb; f++) s[f] = 0;
    for (int r = 0; r < rows; r++) {
      const float *row = x + (ptrdiff_t)r * width + b0;
      for (int f = 0; f < nb; f++) s[f] += row[f];
    }
    for (int f = 0; f < nb; f++) {
      m[f] = s[f] / rows;
      s[f] = 0;
    }
    for (int r = 0; r < rows; r++) {
      const float *row = x + (ptrdiff_t)r * width + b0;
      for (int f = 0; f < nb; f++) {
        const double d = row[f] - m[f];
        s[f] += d * d;
      }
    }
    for (int f = 0; f < nb; f++) {
      mean[b0 + f] = (float)m[f];
      var[b0 + f] = (float)(s[f] / rows);
    }
  }
}

void abl_bn_apply(const float *x, const float *mean, const float *rstd, const float *gamma, const float *beta, float *xhat,
                  float *y, int rows, int width) {
  for (int r = 0; r < rows; r++) {
    const ptrdiff_t o = (ptrdiff_t)r * width;
    for (int f = 0; f < width; f++) {
      const float h = (float)(((double)x[o + f] - mean[f]) * rstd[f]);
      xhat[o + f] = h;
      y[o + f] = (float)((double)h * gamma[f] + beta[f]);
    }
  }
}

void abl_bn_backward_reduce(const float *dy, const float *xhat, float *dgamma, float *dbeta, int rows, int width, int f0,
                            int f1) {
  double sg[BLOCK], sb[BLOCK];
  for (int b0 = f0; b0 < f1; b0 += BLOCK) {
    const int nb = f1 - b0 < BLOCK ? f1 - b0 : BLOCK;
    for (int f = 0; f < nb; f++) sg[f] = sb[f] = 0;
    for (int r = 0; r < rows; r++) {
      const ptrdiff_t o = (ptrdiff_t)r * width + b0;
      for (int f = 0; f < nb; f++) {
        const double g = dy[o + f];
        sb[f] += g;
        sg[f] += g * xhat[o + f];
      }
    }
    for (int f = 0; f < nb; f++) {
      dgamma[b0 + f] = (float)sg[f];
      dbeta[b0 + f] = (float)sb[f];
    }
  }
}

void abl_bn_backward_input(const float *dy, const float *xhat, const float *gamma, const float *rstd, const float *dgamma,
                           const float *dbeta, float *dx, int rows, int width, int batch) {
  const double bt = batch;
  for (int r = 0; r < rows; r++) {
    const ptrdiff_t o = (ptrdiff_t)r * width;
    for (int f = 0; f < width; f++) {
      const double scale = ((double)gamma[f] * rstd[f]) / bt;
      dx[o + f] = (float)(scale * (bt * dy[o + f] - dbeta[f] - (double)xhat[o + f] * dgamma[f]));
    }
  }
}
