/*
 * The Node-API binding of the native kernel set (C, Node-API version 8; loads unchanged in Node
 * and Electron). `create(view, scratchOffset, scratchBytes)` takes a Float32Array over the whole
 * run memory (a shared WebAssembly.Memory's SharedArrayBuffer) and returns an object of kernel
 * functions bound to it, in the flat ABI of src/engine/kernels/contract.ts (names and argument order): every pointer argument is a byte offset into that memory, checked against
 * its length before any access, so the kernels read and write the memory other threads see, in
 * place, without copies. The memory's address is read once: a SharedArrayBuffer never moves. The
 * object holds a reference to the view, so the memory outlives it. Each thread creates its own
 * object with its own scratch region; module state is only the CPU path, chosen once per process.
 * Also exported: `isa` (the chosen path, or null with `loadError`), `supportedPaths`, `probe`.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

typedef struct {
  char *base;
  size_t bytes;
  abl_scratch scratch;
  const abl_gemm_isa *isa;
  napi_ref view;
} instance;

#define MAX_ARGS 16

typedef struct {
  napi_env env;
  instance *inst;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} call;

static int fail(call *c, const char *msg) {
  if (!c->failed) napi_throw_range_error(c->env, NULL, msg);
  c->failed = 1;
  return 0;
}

static int begin(call *c, napi_env env, napi_callback_info info, size_t want) {
  c->env = env;
  c->failed = 0;
  c->argc = MAX_ARGS;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &c->argc, c->argv, NULL, &data) != napi_ok) return fail(c, "native kernels: bad call");
  c->inst = (instance *)data;
  if (c->argc < want) return fail(c, "native kernels: too few arguments");
  return 1;
}

static double num(call *c, size_t i) {
  double v = 0;
  if (!c->failed && napi_get_value_double(c->env, c->argv[i], &v) != napi_ok) fail(c, "native kernels: expected a number");
  return v;
}

static int int_arg(call *c, size_t i) {
  const double v = num(c, i);
  if (!(v >= 0 && v <= 2147483647.0) || v != (double)(int)v) fail(c, "native kernels: expected a non-negative integer");
  return (int)v;
}

/* The float pointer at byte offset argument i, holding `count` floats inside the memory. */
static float *ptr(call *c, size_t i, double count) {
  const double off = num(c, i);
  if (c->failed) return NULL;
  if (!(off >= 0) || off != (double)(size_t)off || (size_t)off % 4 != 0 || !(count >= 0) ||
      off + count * 4 > (double)c->inst->bytes) {
    fail(c, "native kernels: a tensor lies outside the run memory");
    return NULL;
  }
  return (float *)(c->inst->base + (size_t)off);
}

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

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
  napi_create_double(env, abl_sum_squares(x, n), &r);
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
  abl_sgd_step(p, g, buf, n, &a);
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
  abl_adam_step(p, g, m, v, n, &a);
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

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  instance *inst = (instance *)data;
  napi_delete_reference(env, inst->view);
  free(inst);
}

static const struct {
  const char *name;
  napi_callback fn;
} METHODS[] = {
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
    {"probe", probe},
    {"address", address},
};

/* create(view: Float32Array over the whole memory, scratchOffset, scratchBytes) */
static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    napi_throw_type_error(env, NULL, "native kernels: create(view, scratchOffset, scratchBytes)");
    return NULL;
  }
  const char *error = NULL;
  const abl_gemm_isa *isa = abl_gemm_select(&error);
  if (isa == NULL) {
    napi_throw_error(env, NULL, error);
    return NULL;
  }
  bool is_typed = false;
  napi_is_typedarray(env, argv[0], &is_typed);
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void *data = NULL;
  napi_value buffer;
  if (!is_typed || napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_float32_array || offset != 0) {
    napi_throw_type_error(env, NULL, "native kernels: the view must be a Float32Array over the whole run memory");
    return NULL;
  }
  double scratch_off = 0, scratch_bytes = 0;
  napi_get_value_double(env, argv[1], &scratch_off);
  napi_get_value_double(env, argv[2], &scratch_bytes);
  if (!(scratch_off >= 0) || !(scratch_bytes >= 0) || (size_t)scratch_off % 64 != 0 ||
      scratch_off + scratch_bytes > (double)length * 4) {
    napi_throw_range_error(env, NULL, "native kernels: bad scratch region");
    return NULL;
  }
  instance *inst = (instance *)calloc(1, sizeof(instance));
  if (inst == NULL) {
    napi_throw_error(env, NULL, "native kernels: out of memory");
    return NULL;
  }
  inst->base = (char *)data;
  inst->bytes = length * 4;
  inst->scratch.ptr = (float *)(inst->base + (size_t)scratch_off);
  inst->scratch.bytes = (size_t)scratch_bytes;
  inst->isa = isa;
  napi_value obj;
  napi_create_object(env, &obj);
  if (napi_create_reference(env, argv[0], 1, &inst->view) != napi_ok ||
      napi_add_finalizer(env, obj, inst, finalize, NULL, NULL) != napi_ok) {
    free(inst);
    napi_throw_error(env, NULL, "native kernels: cannot hold the run memory");
    return NULL;
  }
  for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++) {
    napi_value fn;
    napi_create_function(env, METHODS[i].name, NAPI_AUTO_LENGTH, METHODS[i].fn, inst, &fn);
    napi_set_named_property(env, obj, METHODS[i].name, fn);
  }
  return obj;
}

static napi_value string_or_null(napi_env env, const char *s) {
  napi_value v;
  if (s == NULL) napi_get_null(env, &v);
  else napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

NAPI_MODULE_INIT() {
  const char *error = NULL;
  const abl_gemm_isa *isa = abl_gemm_select(&error);
  napi_value fn;
  napi_create_function(env, "create", NAPI_AUTO_LENGTH, create, NULL, &fn);
  napi_set_named_property(env, exports, "create", fn);
  napi_set_named_property(env, exports, "isa", string_or_null(env, isa ? isa->name : NULL));
  napi_set_named_property(env, exports, "loadError", string_or_null(env, error));
  napi_set_named_property(env, exports, "supportedPaths", string_or_null(env, abl_gemm_supported()));
  return exports;
}
