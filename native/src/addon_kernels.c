/*
 * The kernel functions of the Node-API binding, one per row of the flat ABI
 * (src/engine/kernels/contract.ts: names and argument order), plus two for tests (probe, address).
 * Each reads and checks its arguments with the reader generated from the contract
 * (addon_args.generated.h, `npm run gen:kernels`) and calls the C kernel on the run memory in place.
 */
#include "addon.h"
#include "addon_args.generated.h"

#define BINDING(name) static napi_value name(napi_env env, napi_callback_info info)
/* Reads and checks the binding's arguments into `a` (addon_args.generated.h), or returns with the error thrown. */
#define READ(name)                                                                                                      \
  call c;                                                                                                               \
  abl_##name##_in a;                                                                                                    \
  if (!read_##name(&c, env, info, &a)) return NULL

BINDING(linear_forward) {
  READ(linear_forward);
  c.inst->isa->linear_forward(a.x, a.w, a.b, a.y, a.rows, a.inDim, a.outDim, a.outDim, c.inst->scratch);
  return undefined(env);
}

/* The features' rows of w and entries of b, and their columns of y (rows outDim apart). */
BINDING(linear_forward_features) {
  READ(linear_forward_features);
  c.inst->isa->linear_forward(a.x, a.w + (ptrdiff_t)a.o0 * a.inDim, a.b + a.o0, a.y + a.o0, a.rows, a.inDim, a.o1 - a.o0,
                              a.outDim, c.inst->scratch);
  return undefined(env);
}

BINDING(linear_backward_input) {
  READ(linear_backward_input);
  c.inst->isa->linear_backward_input(a.dY, a.w, a.dX, a.rows, a.inDim, a.outDim, a.accumulate, c.inst->scratch);
  return undefined(env);
}

BINDING(linear_backward_weight) {
  READ(linear_backward_weight);
  c.inst->isa->linear_backward_weight(a.dY, a.x, a.dW, a.rows, a.inDim, a.outDim, a.o0, a.o1, c.inst->scratch);
  abl_bias_grad(a.dY, a.db, a.rows, a.outDim, a.o0, a.o1);
  return undefined(env);
}

BINDING(activation_forward) {
  READ(activation_forward);
  abl_activation_forward(a.fn.code, a.fn.alpha, a.inp, a.out, a.n);
  return undefined(env);
}

BINDING(activation_backward) {
  READ(activation_backward);
  abl_activation_backward(a.fn.code, a.fn.alpha, a.inp, a.out, a.dOut, a.dInp, a.n);
  return undefined(env);
}

BINDING(bn_stats) {
  READ(bn_stats);
  abl_bn_stats(a.x, a.mean, a.variance, a.rows, a.width, a.f0, a.f1);
  return undefined(env);
}

BINDING(bn_apply) {
  READ(bn_apply);
  abl_bn_apply(a.x, a.mean, a.rstd, a.gamma, a.beta, a.xhat, a.y, a.rows, a.width);
  return undefined(env);
}

BINDING(bn_backward_reduce) {
  READ(bn_backward_reduce);
  abl_bn_backward_reduce(a.dY, a.xhat, a.dGamma, a.dBeta, a.rows, a.width, a.f0, a.f1);
  return undefined(env);
}

BINDING(bn_backward_input) {
  READ(bn_backward_input);
  abl_bn_backward_input(a.dY, a.xhat, a.gamma, a.rstd, a.dGamma, a.dBeta, a.dX, a.rows, a.width, a.batch);
  return undefined(env);
}

BINDING(mul) {
  READ(mul);
  abl_mul(a.a, a.b, a.out, a.n);
  return undefined(env);
}

BINDING(add) {
  READ(add);
  abl_add(a.a, a.b, a.out, a.n);
  return undefined(env);
}

BINDING(add_penalty_grad) {
  READ(add_penalty_grad);
  abl_add_penalty_grad(a.p, a.g, a.n, a.penalties.l1, a.penalties.l2);
  return undefined(env);
}

BINDING(sum_squares) {
  READ(sum_squares);
  *a.out = c.inst->isa->sum_squares(a.x, a.n);
  return undefined(env);
}

BINDING(sgd_step) {
  READ(sgd_step);
  c.inst->isa->sgd_step(a.p, a.g, a.buf, a.n, &a.args);
  return undefined(env);
}

BINDING(adam_step) {
  READ(adam_step);
  c.inst->isa->adam_step(a.p, a.g, a.m, a.v, a.n, &a.args);
  return undefined(env);
}

BINDING(rmsprop_step) {
  READ(rmsprop_step);
  c.inst->isa->rmsprop_step(a.p, a.g, a.sq, a.ga, a.buf, a.n, &a.args);
  return undefined(env);
}

BINDING(adagrad_step) {
  READ(adagrad_step);
  c.inst->isa->adagrad_step(a.p, a.g, a.sum, a.n, &a.args);
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
    {"linearForwardFeatures", linear_forward_features},
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

const size_t abl_method_count = sizeof abl_methods / sizeof abl_methods[0];
