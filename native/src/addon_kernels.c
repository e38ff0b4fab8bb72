/*
 * The kernel functions of the Node-API binding, one per row of the flat ABI
 * (src/engine/kernels/contract.ts: names and argument order), plus two for tests (probe, address).
 * Each reads and checks its arguments (addon.h) and calls the C kernel on the run memory in place.
 */
#include "addon.h"

static napi_value linear_forward(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 7)) return NULL;
  const int rows = int_arg(&c, 4), in = int_arg(&c, 5), out = int_arg(&c, 6);
  const float *x = ptr(&c, 0, (double)rows * in), *w = ptr(&c, 1, (double)out * in), *b = ptr(&c, 2, out);
  float *y = ptr(&c, 3, (double)rows * out);
  if (c.failed) return NULL;
  c.inst->isa->linear_forward(x, w, b, y, rows, in, out, c.inst->scratch);
  return undefined(env);
}

static napi_value linear_backward_input(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 7)) return NULL;
  const int rows = int_arg(&c, 3), in = int_arg(&c, 4), out = int_arg(&c, 5), acc = int_arg(&c, 6);
  const float *dy = ptr(&c, 0, (double)rows * out), *w = ptr(&c, 1, (double)out * in);
  float *dx = ptr(&c, 2, (double)rows * in);
  if (c.failed) return NULL;
  c.inst->isa->linear_backward_input(dy, w, dx, rows, in, out, acc, c.inst->scratch);
  return undefined(env);
}

static napi_value linear_backward_weight(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 9)) return NULL;
  const int rows = int_arg(&c, 4), in = int_arg(&c, 5), out = int_arg(&c, 6), o0 = int_arg(&c, 7), o1 = int_arg(&c, 8);
  const float *dy = ptr(&c, 0, (double)rows * out), *x = ptr(&c, 1, (double)rows * in);
  float *dw = ptr(&c, 2, (double)out * in), *db = ptr(&c, 3, out);
  if (!c.failed && !(o0 <= o1 && o1 <= out)) fail(&c, "native kernels: bad feature range");
  if (c.failed) return NULL;
  c.inst->isa->linear_backward_weight(dy, x, dw, rows, in, out, o0, o1, c.inst->scratch);
  abl_bias_grad(dy, db, rows, out, o0, o1);
  return undefined(env);
}

static napi_value activation_forward(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 5)) return NULL;
  const int code = int_arg(&c, 0), n = int_arg(&c, 4);
  const double alpha = num(&c, 1);
  const float *in = ptr(&c, 2, n);
  float *out = ptr(&c, 3, n);
  if (c.failed) return NULL;
  abl_activation_forward(code, alpha, in, out, n);
  return undefined(env);
}

static napi_value activation_backward(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 7)) return NULL;
  const int code = int_arg(&c, 0), n = int_arg(&c, 6);
  const double alpha = num(&c, 1);
  const float *in = ptr(&c, 2, n), *out = ptr(&c, 3, n), *dout = ptr(&c, 4, n);
  float *din = ptr(&c, 5, n);
  if (c.failed) return NULL;
  abl_activation_backward(code, alpha, in, out, dout, din, n);
  return undefined(env);
}

static napi_value bn_stats(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 7)) return NULL;
  const int rows = int_arg(&c, 3), width = int_arg(&c, 4), f0 = int_arg(&c, 5), f1 = int_arg(&c, 6);
  const float *x = ptr(&c, 0, (double)rows * width);
  float *mean = ptr(&c, 1, width), *var = ptr(&c, 2, width);
  if (!c.failed && !(f0 <= f1 && f1 <= width)) fail(&c, "native kernels: bad feature range");
  if (c.failed) return NULL;
  abl_bn_stats(x, mean, var, rows, width, f0, f1);
  return undefined(env);
}

static napi_value bn_apply(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 9)) return NULL;
  const int rows = int_arg(&c, 7), width = int_arg(&c, 8);
  const double n = (double)rows * width;
  const float *x = ptr(&c, 0, n), *mean = ptr(&c, 1, width), *rstd = ptr(&c, 2, width), *gamma = ptr(&c, 3, width),
              *beta = ptr(&c, 4, width);
  float *xhat = ptr(&c, 5, n), *y = ptr(&c, 6, n);
  if (c.failed) return NULL;
  abl_bn_apply(x, mean, rstd, gamma, beta, xhat, y, rows, width);
  return undefined(env);
}

static napi_value bn_backward_reduce(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 8)) return NULL;
  const int rows = int_arg(&c, 4), width = int_arg(&c, 5), f0 = int_arg(&c, 6), f1 = int_arg(&c, 7);
  const double n = (double)rows * width;
  const float *dy = ptr(&c, 0, n), *xhat = ptr(&c, 1, n);
  float *dgamma = ptr(&c, 2, width), *dbeta = ptr(&c, 3, width);
  if (!c.failed && !(f0 <= f1 && f1 <= width)) fail(&c, "native kernels: bad feature range");
  if (c.failed) return NULL;
  abl_bn_backward_reduce(dy, xhat, dgamma, dbeta, rows, width, f0, f1);
  return undefined(env);
}

static napi_value bn_backward_input(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 10)) return NULL;
  const int rows = int_arg(&c, 7), width = int_arg(&c, 8), batch = int_arg(&c, 9);
  const double n = (double)rows * width;
  const float *dy = ptr(&c, 0, n), *xhat = ptr(&c, 1, n), *gamma = ptr(&c, 2, width), *rstd = ptr(&c, 3, width),
              *dgamma = ptr(&c, 4, width), *dbeta = ptr(&c, 5, width);
  float *dx = ptr(&c, 6, n);
  if (c.failed) return NULL;
  abl_bn_backward_input(dy, xhat, gamma, rstd, dgamma, dbeta, dx, rows, width, batch);
  return undefined(env);
}

static napi_value binary(napi_env env, napi_callback_info info, void (*op)(const float *, const float *, float *, int)) {
  call c;
  if (!begin(&c, env, info, 4)) return NULL;
  const int n = int_arg(&c, 3);
  const float *a = ptr(&c, 0, n), *b = ptr(&c, 1, n);
  float *out = ptr(&c, 2, n);
  if (c.failed) return NULL;
  op(a, b, out, n);
  return undefined(env);
}

static napi_value mul(napi_env env, napi_callback_info info) { return binary(env, info, abl_mul); }
static napi_value add(napi_env env, napi_callback_info info) { return binary(env, info, abl_add); }

static napi_value add_penalty_grad(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 5)) return NULL;
  const int n = int_arg(&c, 2);
  const double l1 = num(&c, 3), l2 = num(&c, 4);
  const float *p = ptr(&c, 0, n);
  float *g = ptr(&c, 1, n);
  if (c.failed) return NULL;
  abl_add_penalty_grad(p, g, n, l1, l2);
  return undefined(env);
}

static napi_value sum_squares(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 2)) return NULL;
  const int n = int_arg(&c, 1);
  const float *x = ptr(&c, 0, n);
  if (c.failed) return NULL;
  napi_value r;
  napi_create_double(env, c.inst->isa->sum_squares(x, n), &r);
  return r;
}

/* sgd_step(p, g, buf, n, lr, momentum, dampening, nesterov, weightDecay, first, gradScale, clipValue) */
static napi_value sgd_step(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 12)) return NULL;
  const int n = int_arg(&c, 3);
  abl_sgd_args a = {num(&c, 4), num(&c, 5), num(&c, 6), num(&c, 8), num(&c, 10), num(&c, 11), int_arg(&c, 7), int_arg(&c, 9)};
  float *p = ptr(&c, 0, n), *buf = ptr(&c, 2, a.momentum != 0 ? n : 0);
  const float *g = ptr(&c, 1, n);
  if (c.failed) return NULL;
  c.inst->isa->sgd_step(p, g, buf, n, &a);
  return undefined(env);
}

/* adam_step(p, g, m, v, n, beta1, beta2, eps, weightDecay, decoupled, stepSize, bc2Sqrt, decay, gradScale, clipValue) */
static napi_value adam_step(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 15)) return NULL;
  const int n = int_arg(&c, 4);
  abl_adam_args a = {num(&c, 5),  num(&c, 6),  num(&c, 7),  num(&c, 8),    num(&c, 10),
                     num(&c, 11), num(&c, 12), num(&c, 13), num(&c, 14), int_arg(&c, 9)};
  float *p = ptr(&c, 0, n), *m = ptr(&c, 2, n), *v = ptr(&c, 3, n);
  const float *g = ptr(&c, 1, n);
  if (c.failed) return NULL;
  c.inst->isa->adam_step(p, g, m, v, n, &a);
  return undefined(env);
}

/* rmsprop_step(p, g, sq, ga, buf, n, lr, alpha, eps, weightDecay, momentum, centered, gradScale, clipValue) */
static napi_value rmsprop_step(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 14)) return NULL;
  const int n = int_arg(&c, 5);
  abl_rmsprop_args a = {num(&c, 6), num(&c, 7), num(&c, 8), num(&c, 9), num(&c, 10), num(&c, 12), num(&c, 13), int_arg(&c, 11)};
  float *p = ptr(&c, 0, n), *sq = ptr(&c, 2, n), *ga = ptr(&c, 3, n), *buf = ptr(&c, 4, n);
  const float *g = ptr(&c, 1, n);
  if (c.failed) return NULL;
  c.inst->isa->rmsprop_step(p, g, sq, ga, buf, n, &a);
  return undefined(env);
}

/* adagrad_step(p, g, sum, n, clr, eps, weightDecay, gradScale, clipValue) */
static napi_value adagrad_step(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 9)) return NULL;
  const int n = int_arg(&c, 3);
  abl_adagrad_args a = {num(&c, 4), num(&c, 5), num(&c, 6), num(&c, 7), num(&c, 8)};
  float *p = ptr(&c, 0, n), *sum = ptr(&c, 2, n);
  const float *g = ptr(&c, 1, n);
  if (c.failed) return NULL;
  c.inst->isa->adagrad_step(p, g, sum, n, &a);
  return undefined(env);
}

/* probe(offset, value): writes value at the float at byte offset, returns the float there before (tests). */
static napi_value probe(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 2)) return NULL;
  float *p = ptr(&c, 0, 1);
  const double v = num(&c, 1);
  if (c.failed) return NULL;
  const float old = *p;
  *p = (float)v;
  napi_value r;
  napi_create_double(env, old, &r);
  return r;
}

/* address(): the memory's address as a number, so tests can see that it never moves. */
static napi_value address(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 0)) return NULL;
  napi_value r;
  napi_create_double(env, (double)(uintptr_t)c.inst->base, &r);
  return r;
}


const abl_method abl_methods[] = {
    {"linearForward", linear_forward},
    {"linearBackwardInput", linear_backward_input},
    {"linearBackwardWeight", linear_backward_weight},
    {"activationForward", activation_forward},
    {"activationBackward", activation_backward},
    {"bnStats", bn_stats},
    {"bnApply", bn_apply},
    {"bnBackwardReduce", bn_backward_reduce},
    {"bnBackwardInput", bn_backward_input},
    {"mul", mul},
    {"add", add},
    {"addPenaltyGrad", add_penalty_grad},
    {"sumSquares", sum_squares},
    {"sgdStep", sgd_step},
    {"adamStep", adam_step},
    {"rmspropStep", rmsprop_step},
    {"adagradStep", adagrad_step},
    {"probe", probe},
    {"address", address},
};

/* create(view: Float32Array over the whole memory, scratchOffset, scratchBytes) */
const size_t abl_method_count = sizeof abl_methods / sizeof abl_methods[0];
