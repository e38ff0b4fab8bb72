/*
 * The passes over every parameter (optimizer updates, squared gradient norm), written once in
 * plain C and included by each instruction-set file (gemm_avx512.c, gemm_avx2.c, gemm_neon.c,
 * gemm_portable.c) after its ABL_FN prefix is defined, so the compiler vectorizes them for that
 * file's target: 8 doubles per AVX-512 vector instead of 2 in the baseline build. They were a
 * fifth of a batch-32 step's time as baseline code (BENCHMARKS.md, "Where a step's time goes").
 *
 * Same bits on every path: no intrinsics, only IEEE double and float operations (each rounded
 * exactly, whatever the vector width) with contraction off (binding.gyp), in the naive
 * reference's expressions and order (src/engine/optim/sgd.ts, adam.ts, rmsprop.ts, adagrad.ts), so the updates equal the
 * reference bit for bit. sum_squares keeps eight double partial sums (element i goes to partial
 * i % 8), combined in a fixed tree, then the last n % 8 squares in order: its bits depend on n
 * and the data alone. Stateless; any thread, disjoint ranges; the gradient is only read.
 */

static double ABL_FN(clipped)(double g, double scale, double c) {
  const double s = g * scale;
  return s > c ? c : s < -c ? -c : s;
}

/* The common case (no momentum, no weight decay, no value clipping, scale 1) without the
 * clipping compares, so it vectorizes to convert, multiply, subtract, convert. */
static void ABL_FN(sgd_plain)(float *ABL_RESTRICT p, const float *ABL_RESTRICT grad, int n, double lr) {
  for (int i = 0; i < n; i++) p[i] = (float)(p[i] - lr * (double)grad[i]);
}

static void ABL_FN(sgd_step)(float *p, const float *grad, float *buf, int n, const abl_sgd_args *a) {
  const double lr = a->lr, mom = a->momentum, damp = 1 - a->dampening, wd = a->weight_decay;
  const double scale = a->grad_scale, c = a->clip_value;
  const int nesterov = a->nesterov, first = a->first;
  /* g * 1 == g and clamping to [-inf, inf] keeps every value, NaN included. */
  if (mom == 0 && wd == 0 && scale == 1 && c == INFINITY && p != grad) {
    ABL_FN(sgd_plain)(p, grad, n, lr);
    return;
  }
  for (int i = 0; i < n; i++) {
    double g = ABL_FN(clipped)(grad[i], scale, c);
    if (wd != 0) g += wd * p[i];
    if (mom != 0) {
      buf[i] = (float)(first ? g : mom * buf[i] + damp * g);
      g = nesterov ? g + mom * buf[i] : buf[i];
    }
    p[i] = (float)(p[i] - lr * g);
  }
}

static void ABL_FN(adam_step)(float *p, const float *grad, float *m, float *v, int n, const abl_adam_args *a) {
  const double b1 = a->beta1, b2 = a->beta2, eps = a->eps, wd = a->weight_decay;
  const double step_size = a->step_size, bc2 = a->bc2_sqrt, decay = a->decay;
  const double scale = a->grad_scale, c = a->clip_value;
  for (int i = 0; i < n; i++) {
    double g = ABL_FN(clipped)(grad[i], scale, c);
    if (a->decoupled) p[i] = (float)(p[i] * decay);
    else if (wd != 0) g += wd * p[i];
    m[i] = (float)(b1 * m[i] + (1 - b1) * g);
    v[i] = (float)(b2 * v[i] + (1 - b2) * g * g);
    p[i] = (float)(p[i] - (step_size * m[i]) / (sqrt((double)v[i]) / bc2 + eps));
  }
}

static void ABL_FN(rmsprop_step)(float *p, const float *grad, float *sq, float *ga, float *buf, int n,
                                 const abl_rmsprop_args *a) {
  const double lr = a->lr, alpha = a->alpha, eps = a->eps, wd = a->weight_decay, mom = a->momentum;
  const double scale = a->grad_scale, c = a->clip_value;
  const int centered = a->centered;
  for (int i = 0; i < n; i++) {
    double g = ABL_FN(clipped)(grad[i], scale, c);
    if (wd != 0) g += wd * p[i];
    sq[i] = (float)(alpha * sq[i] + (1 - alpha) * g * g);
    double avg;
    if (centered) {
      ga[i] = (float)(alpha * ga[i] + (1 - alpha) * g);
      avg = sqrt((double)sq[i] - (double)ga[i] * ga[i]) + eps;
    } else {
      avg = sqrt((double)sq[i]) + eps;
    }
    if (mom > 0) {
      buf[i] = (float)(mom * buf[i] + g / avg);
      p[i] = (float)(p[i] - lr * buf[i]);
    } else {
      p[i] = (float)(p[i] - lr * (g / avg));
    }
  }
}

static void ABL_FN(adagrad_step)(float *p, const float *grad, float *sum, int n, const abl_adagrad_args *a) {
  const double clr = a->clr, eps = a->eps, wd = a->weight_decay, scale = a->grad_scale, c = a->clip_value;
  for (int i = 0; i < n; i++) {
    double g = ABL_FN(clipped)(grad[i], scale, c);
    if (wd != 0) g += wd * p[i];
    sum[i] = (float)(sum[i] + g * g);
    p[i] = (float)(p[i] - clr * (g / (sqrt((double)sum[i]) + eps)));
  }
}

static double ABL_FN(sum_squares)(const float *x, int n) {
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
