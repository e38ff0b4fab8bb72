/*
 * Activation kernels in portable C: the scalar definitions of src/engine/layers/activations.ts
 * (PyTorch conventions) evaluated in double precision and rounded once to float, for the twelve
 * codes of ACTIVATIONS (0 identity, 1 sigmoid, 2 tanh, 3 relu, 4 leaky_relu, 5 elu, 6 gelu,
 * 7 gelu_tanh, 8 selu, 9 softplus, 10 silu, 11 mish). identity, relu, leaky_relu and the derivatives that use only the stored
 * output equal the naive kernels bit for bit; the others call the C library's exp, expm1, log1p
 * and tanh where the reference calls JavaScript's, so they agree to the last bit of a double
 * before rounding to float (almost always the same float). erf is the reference's own
 * approximation (Cody), ported. Stateless; any thread; dInp may alias dOut.
 */
#include <math.h>

#include "kernels.h"
#ifdef ABL_X86
#include <emmintrin.h>
#endif

static const double SELU_ALPHA = 1.6732632423543772848170429916717;
static const double SELU_SCALE = 1.0507009873554804934193349852946;
static const double SQRT_2_OVER_PI = 0.7978845608028654; /* Math.sqrt(2 / Math.PI) */
static const double INV_SQRT_2 = 0.7071067811865476;     /* Math.SQRT1_2 */
static const double INV_SQRT_2PI = 0.3989422804014327;   /* 1 / Math.sqrt(2 * Math.PI) */
static const double INV_SQRT_PI = 0.5641895835477563;    /* 1 / Math.sqrt(Math.PI) */

/* erfc(x) for x > 0.46875, as layers/math.ts erfcPositive. */
static double erfc_positive(double x) {
  if (x >= 27) return 0;
  double r;
  if (x < 4) {
    static const double c[9] = {2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594,
                                6.61191906371416295e1,  2.98635138197400131e2,  8.8195222124176909e2,
                                1.71204761263407058e3,  2.05107837782607147e3,  1.23033935479799725e3};
    static const double d[9] = {1, 1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2,
                                1.62138957456669019e3, 3.29079923573345963e3, 4.36261909014324716e3,
                                3.43936767414372164e3, 1.23033935480374942e3};
    double top = 0, bot = 0;
    for (int i = 0; i < 9; i++) {
      top = top * x + c[i];
      bot = bot * x + d[i];
    }
    r = top / bot;
  } else {
    const double z = 1 / (x * x);
    const double top = ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z +
                         1.25781726111229246e-1) * z + 1.60837851487422766e-2) * z + 6.58749161529837803e-4;
    const double bot = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z +
                        6.05183413124413191e-2) * z + 2.33520497626869185e-3;
    r = (1 / x) * (INV_SQRT_PI - (z * top) / bot);
  }
  const double xh = trunc(x * 16) / 16;
  return exp(-xh * xh) * exp(-(x - xh) * (x + xh)) * r;
}

/* erf(x) as layers/math.ts. */
static double erf_ref(double x) {
  if (isnan(x)) return x;
  const double ax = fabs(x);
  if (ax <= 0.46875) {
    const double t = x * x;
    const double top = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t +
                        377.485237685302021) * t + 3209.37758913846947;
    const double bot = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t +
                       2844.23683343917062;
    return (x * top) / bot;
  }
  return x < 0 ? -(1 - erfc_positive(ax)) : 1 - erfc_positive(ax);
}

static double sigmoid(double x) {
  if (x >= 0) return 1 / (1 + exp(-x));
  const double e = exp(x);
  return e / (1 + e);
}

static double forward(int code, double x, double a) {
  switch (code) {
    case 1: return sigmoid(x);
    case 2: return tanh(x);
    case 3: return x > 0 ? x : 0;
    case 4: return x > 0 ? x : a * x;
    case 5: return x > 0 ? x : a * expm1(x);
    case 6: return 0.5 * x * (1 + erf_ref(x * INV_SQRT_2));
    case 7: return 0.5 * x * (1 + tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    case 8: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * expm1(x));
    case 9: return x > 20 ? x : log1p(exp(x));
    case 10: return x * sigmoid(x);
    case 11: return x * tanh(x > 20 ? x : log1p(exp(x)));
    default: return x;
  }
}

static double derivative(int code, double x, double y, double a) {
  switch (code) {
    case 1: return y * (1 - y);
    case 2: return 1 - y * y;
    case 3: return x > 0 ? 1 : 0;
    case 4: return x > 0 ? 1 : a;
    case 5: return x > 0 ? 1 : a * exp(x);
    case 6: return 0.5 * (1 + erf_ref(x * INV_SQRT_2)) + x * INV_SQRT_2PI * exp(-0.5 * x * x);
    case 7: {
      const double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
      const double t = tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
    }
    case 8: return x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * exp(x);
    case 9: return x > 20 ? 1 : sigmoid(x);
    case 10: {
      const double s = sigmoid(x);
      return s * (1 + x * (1 - s));
    }
    case 11: {
      const double t = tanh(x > 20 ? x : log1p(exp(x)));
      return t + x * sigmoid(x) * (1 - t * t);
    }
    default: return 1;
  }
}

void abl_activation_forward(int code, double alpha, const float *in, float *out, int n) {
  if (code == 3) {
    /* relu, the common case, without the switch per element. */
    for (int i = 0; i < n; i++) out[i] = in[i] > 0 ? in[i] : 0.0f;
    return;
  }
  for (int i = 0; i < n; i++) out[i] = (float)forward(code, in[i], alpha);
}

void abl_activation_backward(int code, double alpha, const float *in, const float *out, const float *dout, float *din,
                             int n) {
  if (code == 3) {
    /* In float: dout * 1 and dout * 0 are exact (a signed zero, NaN for infinities and NaN), so
     * this equals the reference's double product bit for bit. Compilers keep a branch per element
     * here (mispredicted half the time on a ReLU's inputs: 7% of a batch-128 step), so x86 selects
     * with SSE2 masks, four floats at a time. */
    int i = 0;
#ifdef ABL_X86
    const __m128 zero = _mm_setzero_ps();
    for (; i + 4 <= n; i += 4) {
      const __m128 d = _mm_loadu_ps(dout + i), keep = _mm_cmpgt_ps(_mm_loadu_ps(in + i), zero);
      _mm_storeu_ps(din + i, _mm_or_ps(_mm_and_ps(keep, d), _mm_andnot_ps(keep, _mm_mul_ps(d, zero))));
    }
#endif
    for (; i < n; i++) din[i] = dout[i] * (in[i] > 0 ? 1.0f : 0.0f);
    return;
  }
  for (int i = 0; i < n; i++) din[i] = (float)((double)dout[i] * derivative(code, in[i], out[i], alpha));
}
