/*
 * Optimizer updates in portable C with the naive reference's double-precision expressions and
 * float32 stores at the same places (src/engine/kernels/naive/optim.ts): SGD as in PyTorch 1.13
 * (coupled weight decay, momentum with dampening, Nesterov) and Adam/AdamW; results equal the
 * reference bit for bit. The gradient is only read. Stateless; any thread, disjoint ranges.
 */
#include <math.h>

#include "kernels.h"

static double clipped(double g, double scale, double c) {
  const double s = g * scale;
  return s > c ? c : s < -c ? -c : s;
}

void abl_sgd_step(float *p, const float *grad, float *buf, int n, const abl_sgd_args *a) {
  const double lr = a->lr, mom = a->momentum, damp = 1 - a->dampening, wd = a->weight_decay;
  const double scale = a->grad_scale, c = a->clip_value;
  const int nesterov = a->nesterov, first = a->first;
  for (int i = 0; i < n; i++) {
    double g = clipped(grad[i], scale, c);
    if (wd != 0) g += wd * p[i];
    if (mom != 0) {
      buf[i] = (float)(first ? g : mom * buf[i] + damp * g);
      g = nesterov ? g + mom * buf[i] : buf[i];
    }
    p[i] = (float)(p[i] - lr * g);
  }
}

void abl_adam_step(float *p, const float *grad, float *m, float *v, int n, const abl_adam_args *a) {
  const double b1 = a->beta1, b2 = a->beta2, eps = a->eps, wd = a->weight_decay;
  const double step_size = a->step_size, bc2 = a->bc2_sqrt, decay = a->decay;
  const double scale = a->grad_scale, c = a->clip_value;
  for (int i = 0; i < n; i++) {
    double g = clipped(grad[i], scale, c);
    if (a->decoupled) p[i] = (float)(p[i] * decay);
    else if (wd != 0) g += wd * p[i];
    m[i] = (float)(b1 * m[i] + (1 - b1) * g);
    v[i] = (float)(b2 * v[i] + (1 - b2) * g * g);
    p[i] = (float)(p[i] - (step_size * m[i]) / (sqrt((double)v[i]) / bc2 + eps));
  }
}
